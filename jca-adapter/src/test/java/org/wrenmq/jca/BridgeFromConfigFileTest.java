package org.wrenmq.jca;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.wrenmq.api.QoS;
import org.wrenmq.api.jca.MqttConnection;
import org.wrenmq.api.jca.MqttConnectionFactory;
import org.wrenmq.it.support.ClientProcess;
import org.wrenmq.it.support.Mosquitto;
import org.wrenmq.it.support.Ports;
import org.wrenmq.jca.outbound.WrenManagedConnectionFactory;

/**
 * A bridge in the resource adapter: mosquitto's {@code connection} block in the file named by {@code configFile},
 * run by the adapter's embedded broker against Debian's mosquitto. What the application publishes through the
 * connection factory reaches mosquitto under the remote prefix; mosquitto's message on the {@code in} topic reaches
 * a subscriber of the embedded broker without it.
 */
class BridgeFromConfigFileTest {
    @TempDir
    Path dir;

    private final WrenResourceAdapter adapter = new WrenResourceAdapter();
    private final List<AutoCloseable> started = new ArrayList<>();

    @AfterEach
    void stopEverything() throws Exception {
        adapter.stop();
        for (AutoCloseable c : started) {
            c.close();
        }
    }

    @Test
    void connectionBlockInTheConfigFileBridgesBothWays() throws Exception {
        Mosquitto cloud = Mosquitto.start(dir, "allow_anonymous true");
        started.add(cloud);
        // retained, so it is there whenever the bridge subscribes
        run("mosquitto_pub", "-h", "127.0.0.1", "-p", Integer.toString(cloud.port()), "-t", "plant/commands/start", "-m", "now",
                "-q", "1", "-r").awaitSuccess();
        ClientProcess atCloud = subscribed(cloud.port(), "plant/orders/#");
        int port = Ports.free();
        Path conf = Files.writeString(dir.resolve("wrenmq.conf"), "listener " + port + " 127.0.0.1\n"
                + "allow_anonymous true\n"
                + "persistence_location " + dir.resolve("data") + "\n"
                + "connection cloud\n"
                + "address 127.0.0.1:" + cloud.port() + "\n"
                + "remote_clientid app-server-7\n"
                + "restart_timeout 1\n"
                + "topic orders/# out 1 \"\" plant/\n"
                + "topic commands/# in 1 \"\" plant/\n");
        adapter.setConfigFile(conf.toString());

        adapter.start(null);
        try (MqttConnection connection = factory().getConnection()) {
            connection.publish("orders/42", "2 pallets", QoS.AT_LEAST_ONCE).toCompletableFuture().join();
        }

        assertThat(atCloud.awaitSuccess().lines()).contains("plant/orders/42 2 pallets");
        assertThat(subscribed(port, "commands/#").awaitSuccess().lines()).contains("commands/start now");
    }

    private MqttConnectionFactory factory() throws Exception {
        WrenManagedConnectionFactory managed = new WrenManagedConnectionFactory();
        managed.setResourceAdapter(adapter);
        return (MqttConnectionFactory) managed.createConnectionFactory();
    }

    /** A mosquitto_sub for one QoS 1 message, subscribed before this returns. */
    private ClientProcess subscribed(int port, String filter) {
        ClientProcess sub = run("stdbuf", "-oL", "mosquitto_sub", "-h", "127.0.0.1", "-p", Integer.toString(port), "-q", "1", "-v",
                "-d", "-C", "1", "-W", Long.toString(ClientProcess.PATIENCE.toSeconds()), "-t", filter);
        await().atMost(ClientProcess.PATIENCE).until(() -> sub.output().contains("Subscribed (mid: 1)"));
        return sub;
    }

    private ClientProcess run(String... command) {
        ClientProcess p = ClientProcess.start(dir, command);
        started.add(p);
        return p;
    }
}
