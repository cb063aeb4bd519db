package org.wrenmq.it.appserver;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.Map;
import org.jboss.arquillian.container.test.api.Deployment;
import org.jboss.arquillian.container.test.api.OperateOnDeployment;
import org.jboss.arquillian.container.test.api.RunAsClient;
import org.jboss.arquillian.junit5.ArquillianExtension;
import org.jboss.shrinkwrap.api.spec.ResourceAdapterArchive;
import org.jboss.shrinkwrap.api.spec.WebArchive;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.wrenmq.it.appserver.tools.MosquittoClients;
import org.wrenmq.it.support.Mosquitto;
import org.wrenmq.it.support.Ports;

/** The external broker is down while the application deploys: the beans deploy, and subscribe once it is up. */
@ExtendWith(ArquillianExtension.class)
class BrokerDownAtDeploymentIT {

    private static int port;

    private static synchronized int port() {
        if (port == 0) {
            port = Ports.free();
        }
        return port;
    }

    @Deployment(name = "adapter", order = 1, testable = false)
    static ResourceAdapterArchive adapter() {
        return Deployments.adapter(Map.of("serverUri", "tcp://127.0.0.1:" + port()));
    }

    @Deployment(name = AdapterContract.APP, order = 2, testable = false)
    static WebArchive application() {
        return Deployments.application(port(), BrokerDownAtDeploymentIT.class);
    }

    @Test
    @RunAsClient
    @OperateOnDeployment(AdapterContract.APP)
    void messageDrivenBeanSubscribesOnceTheBrokerIsUp() {
        Mosquitto.startUntilJvmEnds(port());   // stopped when the JVM ends
        MosquittoClients clients = new MosquittoClients(port());

        assertThat(clients.receiveOne("it/echo/out/late", Duration.ofSeconds(60),
                () -> clients.publish("it/echo/in/late", "ping late", 1))).isEqualTo("ping late");
    }
}
