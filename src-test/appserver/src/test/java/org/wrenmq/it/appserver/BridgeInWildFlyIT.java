package org.wrenmq.it.appserver;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.jboss.arquillian.container.test.api.Deployment;
import org.jboss.arquillian.container.test.api.RunAsClient;
import org.jboss.arquillian.junit5.ArquillianExtension;
import org.jboss.shrinkwrap.api.spec.ResourceAdapterArchive;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.DisabledIfSystemProperty;
import org.junit.jupiter.api.extension.ExtendWith;
import org.wrenmq.it.appserver.tools.MosquittoClients;
import org.wrenmq.it.support.Mosquitto;
import org.wrenmq.it.support.Ports;

/**
 * A bridge in the adapter's embedded broker inside WildFly: {@code configFile} names a wrenmq.conf whose
 * {@code connection} block (docs/bridges.md, "Every home") bridges to a mosquitto of the test's own. Clients
 * outside the server see an out topic reach mosquitto under the remote prefix, and mosquitto's in topic reach the
 * embedded broker without it.
 *
 * <p>Runs in the build's {@code wildfly} run only.
 */
@DisabledIfSystemProperty(named = "arquillian.launch", matches = "(?!wildfly$).*")
@ExtendWith(ArquillianExtension.class)
class BridgeInWildFlyIT {
    private static final Duration DELIVERY = Duration.ofSeconds(30);

    private static Mosquitto cloud;
    private static int port;

    /** Started on first use, on the client side only (the deployment is made there). */
    private static synchronized Mosquitto cloud() {
        if (cloud == null) {
            cloud = Mosquitto.startUntilJvmEnds(Ports.free());
            port = Ports.free();
        }
        return cloud;
    }

    @Deployment(name = "adapter", testable = false)
    static ResourceAdapterArchive adapter() {
        try {
            Path dir = Files.createTempDirectory("wrenmq-it-bridge");
            Path conf = Files.writeString(dir.resolve("wrenmq.conf"), "listener " + edgePort() + " 127.0.0.1\n"
                    + "allow_anonymous true\n"
                    + "persistence_location " + dir.resolve("data") + "\n"
                    + "connection cloud\n"
                    + "address 127.0.0.1:" + cloud().port() + "\n"
                    + "remote_clientid wildfly-7\n"
                    + "restart_timeout 1\n"
                    + "topic orders/# out 1 \"\" plant/\n"
                    + "topic commands/# in 1 \"\" plant/\n");
            return Deployments.adapter(Map.of("configFile", conf.toString()));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Test
    @RunAsClient
    void outAndInTopicsCrossTheBridge() {
        MosquittoClients edge = new MosquittoClients(edgePort());
        MosquittoClients atCloud = new MosquittoClients(cloud().port());

        assertThat(atCloud.receiveOne("plant/orders/#", DELIVERY, () -> edge.publish("orders/42", "2 pallets", 1)))
                .isEqualTo("2 pallets");
        assertThat(edge.receiveOne("commands/#", DELIVERY, () -> atCloud.publish("plant/commands/start", "now", 1)))
                .isEqualTo("now");
    }

    private static synchronized int edgePort() {
        cloud();
        return port;
    }
}
