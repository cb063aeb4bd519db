package org.wrenmq.it.appserver;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.Map;
import org.jboss.arquillian.container.test.api.Deployment;
import org.jboss.arquillian.container.test.api.OperateOnDeployment;
import org.jboss.arquillian.container.test.api.RunAsClient;
import org.jboss.shrinkwrap.api.spec.ResourceAdapterArchive;
import org.jboss.shrinkwrap.api.spec.WebArchive;
import org.junit.jupiter.api.Test;
import org.wrenmq.it.appserver.tools.MosquittoClients;
import org.wrenmq.it.support.Mosquitto;
import org.wrenmq.it.support.Ports;

/** The adapter connected to an external broker: a mosquitto of the test's own, on a free port. */
class ExternalBrokerIT extends AdapterContract {

    private static Mosquitto mosquitto;

    /** Started on first use, on the client side only (the deployments are made there). */
    private static synchronized Mosquitto mosquitto() {
        if (mosquitto == null) {
            mosquitto = Mosquitto.startUntilJvmEnds(Ports.free());
        }
        return mosquitto;
    }

    @Deployment(name = "adapter", order = 1, testable = false)
    static ResourceAdapterArchive adapter() {
        return Deployments.adapter(Map.of("serverUri", "tcp://127.0.0.1:" + mosquitto().port()));
    }

    @Deployment(name = APP, order = 2)
    static WebArchive application() {
        return Deployments.application(mosquitto().port(), ExternalBrokerIT.class);
    }

    @Test
    @OperateOnDeployment(APP)
    void pooledConnectionsOpenAtOnceEachHaveTheirOwnClientId() throws Exception {
        // with a shared client id the broker would disconnect all but the newest, and their publishes would fail
        publisher.publishOnSeparateConnections("it/basic/pool", 5);

        await().atMost(DELIVERY).until(() -> received.onTopicsStartingWith("it/basic/pool/").size(), n -> n == 5);
    }

    @Test
    @RunAsClient
    @OperateOnDeployment(APP)
    void subscriptionsComeBackAfterTheBrokerRestarts() {
        MosquittoClients clients = new MosquittoClients(mosquitto().port());
        assertThat(clients.receiveOne("it/echo/out/before", DELIVERY,
                () -> clients.publish("it/echo/in/before", "ping before", 1))).isEqualTo("ping before");

        mosquitto().restart();

        assertThat(clients.receiveOne("it/echo/out/after", Duration.ofSeconds(60),
                () -> clients.publish("it/echo/in/after", "ping after", 1))).isEqualTo("ping after");
    }
}
