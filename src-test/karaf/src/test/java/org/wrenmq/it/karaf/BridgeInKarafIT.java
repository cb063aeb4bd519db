package org.wrenmq.it.karaf;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.wrenmq.it.support.ClientProcess;
import org.wrenmq.it.support.Ports;

/**
 * A bridge configured in {@code etc/org.wrenmq.broker.cfg} of a real Apache Karaf, as docs/bridges.md's "Every
 * home" writes it ({@code connection.NAME.SETTING} keys, {@code topic.1}, {@code topic.2}), to Debian's mosquitto:
 * a message published on the Karaf broker reaches mosquitto under the remote prefix, one published on mosquitto on
 * the {@code in} topic reaches a subscriber of the Karaf broker, and {@code wrenmq:bridges} shows the bridge
 * connected with one message forwarded and one received.
 */
class BridgeInKarafIT {
    private static final Duration BOOT_TIMEOUT = Duration.ofMinutes(3);
    private static final Duration PATIENCE = Duration.ofSeconds(45);

    private KarafInstance karaf;
    private org.wrenmq.it.support.Mosquitto remote;
    private final List<ClientProcess> clients = new java.util.ArrayList<>();

    @Test
    void bridgeFromTheCfgFileCarriesMessagesBothWaysAndTheShellShowsIt() throws Exception {
        Path work = Path.of(System.getProperty("wrenmq.karaf.work", "target/karaf-run")).resolveSibling("karaf-bridge");
        Path localRepository = Path.of(System.getProperty("maven.local.repository"));
        String version = System.getProperty("wrenmq.version");
        karaf = KarafInstance.unpack(Path.of(System.getProperty("wrenmq.karaf.tarball")), work, Ports.free());
        remote = org.wrenmq.it.support.Mosquitto.start(Files.createDirectories(work.resolve("remote")),
                "allow_anonymous true");
        karaf.prepare(localRepository, Ports.free(), Ports.free());
        karaf.bootFeature("mvn:org.wrenmq/features/" + version + "/xml/features", "wrenmq");
        int port = Ports.free();
        karaf.writeBrokerConfig(localRepository, version, port);
        Path config = karaf.etc("org.wrenmq.broker.cfg");
        Files.writeString(config, Files.readString(config) + "\n# a bridge to the test's mosquitto\n"
                + "connection.cloud.address = 127.0.0.1:" + remote.port() + "\n"
                + "connection.cloud.remote_clientid = karaf-edge\n"
                + "connection.cloud.restart_timeout = 1\n"
                + "connection.cloud.topic.1 = sensors/# out 1 \"\" edge1/\n"
                + "connection.cloud.topic.2 = cmd/# in 1 \"\" edge1/\n");

        karaf.start(work.resolve("karaf-console.log"));
        await().atMost(BOOT_TIMEOUT).until(() -> Ports.listening(port) || !karaf.isRunning());
        assertThat(karaf.isRunning()).as("Karaf is running; see " + work).isTrue();
        // until the shell bundle's commands are registered and the bridge has subscribed at the remote
        await("wrenmq:bridges shows the bridge connected").atMost(PATIENCE)
                .until(() -> row(karaf.shell("wrenmq:bridges"), "cloud"), r -> r.size() > 1
                        && r.get(1).equals("connected"));

        ClientProcess atRemote = subscribe(work, remote.port(), "edge1/#");
        ClientProcess atLocal = subscribe(work, port, "cmd/#");
        publish(work, port, "sensors/t1", "21.5");
        publish(work, remote.port(), "edge1/cmd/valve", "open");

        assertThat(atRemote.awaitSuccess().lines()).as("at mosquitto").contains("edge1/sensors/t1 21.5");
        assertThat(atLocal.awaitSuccess().lines()).as("at the Karaf broker").contains("cmd/valve open");
        String printed = karaf.shell("wrenmq:bridges");
        assertThat(row(printed, "cloud")).as(printed).containsExactly("cloud", "connected",
                "127.0.0.1:" + remote.port(), "karaf-edge", "0", "1", "1", "0");
    }

    @AfterEach
    void stopEverything() throws Exception {
        clients.forEach(ClientProcess::close);
        if (karaf != null) {
            karaf.close();
        }
        if (remote != null) {
            remote.close();
        }
    }

    /** A mosquitto_sub for one QoS 1 message, subscribed before this returns. */
    private ClientProcess subscribe(Path work, int port, String filter) {
        ClientProcess sub = ClientProcess.start(work, "stdbuf", "-oL", "mosquitto_sub", "-h", "127.0.0.1", "-p",
                Integer.toString(port), "-q", "1", "-t", filter, "-v", "-d", "-C", "1", "-W",
                Long.toString(PATIENCE.toSeconds()));
        clients.add(sub);
        await().atMost(PATIENCE).until(() -> sub.output().contains("Subscribed (mid: 1)"));
        return sub;
    }

    private void publish(Path work, int port, String topic, String message) {
        ClientProcess pub = ClientProcess.start(work, "mosquitto_pub", "-h", "127.0.0.1", "-p",
                Integer.toString(port), "-q", "1", "-t", topic, "-m", message);
        clients.add(pub);
        pub.awaitSuccess();
    }

    /** The cells of the table row whose first cell is {@code name}; empty when there is none. */
    private static List<String> row(String table, String name) {
        return table.lines().map(l -> Arrays.stream(l.split("[|│]")).map(String::trim).toList())
                .filter(cells -> cells.get(0).equals(name)).findFirst().orElse(List.of());
    }
}
