package org.wrenmq.it.appserver;

import org.jboss.arquillian.container.test.api.Deployment;
import org.jboss.arquillian.container.test.api.TargetsContainer;
import org.jboss.shrinkwrap.api.spec.WebArchive;
import org.junit.jupiter.api.condition.DisabledIfSystemProperty;

/**
 * The contract, CDI included, in Payara Server 6 with its embedded broker. The domain is started and the adapter
 * deployed by the commands of docs/jakarta-ee/payara.md (launcher.AsadminServers); Arquillian deploys the
 * application, which carries no binding descriptor: Payara binds a message-driven bean by its listener interface.
 *
 * <p>Runs in the build's {@code asadmin} run, and inside the server, where the property is not set.
 */
@DisabledIfSystemProperty(named = "arquillian.launch", matches = "(?!asadmin$).*")
class PayaraServerIT extends CdiContract {

    @Deployment(name = APP)
    @TargetsContainer("payara-server")
    static WebArchive application() {
        return Deployments.applicationWithCdi(Integer.getInteger("wrenmq.payara-server.mqttPort"),
                PayaraServerIT.class, "wrenmq/ConnectionFactory");
    }
}
