package org.wrenmq.it.appserver;

import org.jboss.arquillian.container.test.api.Deployment;
import org.jboss.shrinkwrap.api.spec.WebArchive;

/**
 * The same contract in Payara Micro, the adapter with its embedded broker. Payara Micro takes one archive from
 * Arquillian: the RAR is deployed and configured by the post-boot commands of launcher.PayaraMicroSetup.
 */
class PayaraMicroIT extends AdapterContract {

    @Deployment(name = APP)
    static WebArchive application() {
        return Deployments.application(Integer.getInteger("wrenmq.payara.mqttPort"), PayaraMicroIT.class,
                "wrenmq/ConnectionFactory");
    }
}
