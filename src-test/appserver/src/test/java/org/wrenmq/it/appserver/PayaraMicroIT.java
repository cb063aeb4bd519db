package org.wrenmq.it.appserver;

import org.jboss.arquillian.container.test.api.Deployment;
import org.jboss.shrinkwrap.api.spec.WebArchive;
import org.junit.jupiter.api.condition.DisabledIfSystemProperty;

/**
 * The same contract, CDI included, in Payara Micro, the adapter with its embedded broker. Payara Micro takes one
 * archive from Arquillian: the RAR is deployed and configured by the post-boot commands of
 * launcher.PayaraMicroSetup.
 *
 * <p>Skipped in the build's other Failsafe runs, even when named by {@code -Dit.test}; runs in the
 * {@code payara-micro} run and inside Payara Micro, where the property is not set.
 */
@DisabledIfSystemProperty(named = "arquillian.launch", matches = "(?!payara$).*")
class PayaraMicroIT extends CdiContract {

    @Deployment(name = APP)
    static WebArchive application() {
        return Deployments.applicationWithCdi(Integer.getInteger("wrenmq.payara.mqttPort"), PayaraMicroIT.class,
                "wrenmq/ConnectionFactory");
    }
}
