package org.wrenmq.it.clients;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.wrenmq.it.clients.MosquittoCli.awaitLine;
import static org.wrenmq.it.clients.MosquittoCli.count;
import static org.wrenmq.it.clients.MosquittoCli.linesWith;
import static org.wrenmq.it.clients.MosquittoCli.messages;
import static org.wrenmq.it.clients.MosquittoCli.metric;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.wrenmq.broker.testing.TestPki;
import org.wrenmq.it.support.ClientProcess;
import org.wrenmq.it.support.Mosquitto;

/**
 * How a bridge reaches its remote, against Debian's mosquitto configured by mosquitto's own keys: TLS (CA file and
 * folder, client certificate, bridge_insecure, a wrong CA), several addresses (failover, round_robin false and
 * true), start_type lazy and once, bridge_max_packet_size. Certificates are made at run time ({@link TestPki}).
 * Small values (restart_timeout 1, idle_timeout 1) keep the waits short; nothing waits a fixed time.
 */
@DisplayName("bridges from ./wrenmq to mosquitto: TLS, several addresses, start types, packet size")
class BridgeRemoteIT {
    private static final Duration PATIENCE = ClientProcess.PATIENCE;

    @TempDir
    Path dir;

    @RegisterExtension
    final Launched launched = new Launched();
    private MosquittoCli cli;
    private int edgePort;
    private int httpPort;

    @BeforeEach
    void ports() {
        cli = new MosquittoCli(launched, dir);
        int[] ports = Launched.freePorts(2);
        edgePort = ports[0];
        httpPort = ports[1];
    }


    @Test
    @DisplayName("TLS: bridge_cafile, bridge_capath with a client certificate, bridge_insecure connect; no client "
            + "certificate, a name mismatch and a wrong CA each fail with one log line and keep retrying")
    void tlsToTheRemote() throws Exception {
        TestPki pki = TestPki.create(Files.createDirectories(dir.resolve("pki")));
        Path[] server = pki.server("cloud", TestPki.KeyForm.PKCS8_EC);
        Path[] named = pki.serverNamed("elsewhere", "cloud.example");
        Path[] edge = pki.client("edge1");
        Path caPath = Files.createDirectories(dir.resolve("cas"));
        Files.copy(pki.caCert(), caPath.resolve("cloud-ca.crt"));
        Path otherCa = TestPki.create(Files.createDirectories(dir.resolve("other-pki"))).caCert();

        int[] p = Launched.freePorts(4);
        int requiresCert = p[0];
        int wrongName = p[1];
        int forWrongCa = p[2];
        int plain = p[3];
        String ca = "cafile " + pki.caCert();
        Mosquitto cloud = launched.mosquitto(dir, requiresCert, "allow_anonymous true", ca,
                "certfile " + server[0], "keyfile " + server[1], "require_certificate true",
                "listener " + wrongName + " 127.0.0.1", ca, "certfile " + named[0], "keyfile " + named[1],
                "listener " + forWrongCa + " 127.0.0.1", ca, "certfile " + server[0], "keyfile " + server[1],
                "listener " + plain + " 127.0.0.1");
        String clientCert = "bridge_certfile " + edge[0] + "\nbridge_keyfile " + edge[1] + "\n";
        String cafile = "bridge_cafile " + pki.caCert() + "\n";
        ClientProcess broker = startEdge(""
                + bridge("cafile", requiresCert) + probe("cafile") + cafile + clientCert
                + bridge("capath", requiresCert) + probe("capath") + "bridge_capath " + caPath + "\n" + clientCert
                + bridge("insecure", wrongName) + probe("insecure") + cafile + "bridge_insecure true\n"
                + bridge("nocert", requiresCert) + probe("nocert") + cafile
                + bridge("strict", wrongName) + probe("strict") + cafile
                + bridge("wrongca", forWrongCa) + probe("wrongca") + "bridge_cafile " + otherCa + "\n");
        for (String name : List.of("cafile", "capath", "insecure")) {
            awaitLine(broker, "bridge " + name + ": connected to");
        }
        ClientProcess atCloud = cli.sub(plain, "-C", "3", "-t", "+/probe/#");

        cli.pub(edgePort, "probe/1", "hello");

        assertThat(messages(atCloud)).containsExactlyInAnyOrder("cafile/probe/1 hello", "capath/probe/1 hello",
                "insecure/probe/1 hello");
        // the wrong-CA bridge is alone on its port: mosquitto sees its attempts, the edge says it once
        await().atMost(PATIENCE).until(() -> count(cloud.output(), "on port " + forWrongCa) >= 3);
        for (String name : List.of("nocert", "strict", "wrongca")) {
            List<String> said = linesWith(broker, "bridge " + name + ":");
            assertThat(said).as("what the edge logged for bridge %s", name).hasSize(1);
            assertThat(said.get(0)).contains("WARN", "cannot connect to 127.0.0.1:", "TLS handshake failed");
        }
        assertThat(linesWith(broker, "bridge strict:").get(0)).containsIgnoringCase("subject alternative name");
        // the JDK's words: "unable to find valid certification path", or "does not chain with any of the trust
        // anchors" when the other CA has the same name
        assertThat(linesWith(broker, "bridge wrongca:").get(0)).containsAnyOf("certification path", "trust anchors");
        assertThat(broker.isAlive()).isTrue();
    }

    @Test
    @DisplayName("several addresses, round_robin false: the second while the first is down, back to the first "
            + "once it answers")
    void failsOverAndReturnsToTheFirstAddress() throws Exception {
        int[] p = Launched.freePorts(2);
        Mosquitto second = launched.mosquitto(dir, p[1], "allow_anonymous true");
        ClientProcess broker = startEdge(bridge("cloud", p[0], p[1]) + "topic sensors/# out 1 \"\" edge1/\n");
        awaitLine(broker, "bridge cloud: connected to 127.0.0.1:" + p[1]);
        assertThat(linesWith(broker, "bridge cloud: cannot connect to 127.0.0.1:" + p[0])).hasSize(1);
        ClientProcess atSecond = cli.sub(second.port(), "-C", "1", "-t", "edge1/#");
        cli.pub(edgePort, "sensors/a", "to-second");
        assertThat(messages(atSecond)).containsExactly("edge1/sensors/a to-second");

        Mosquitto first = launched.mosquitto(dir, p[0], "allow_anonymous true");

        awaitLine(broker, "bridge cloud: connected to 127.0.0.1:" + p[0]);
        assertThat(linesWith(broker, "bridge cloud: the first address")).hasSize(1);
        ClientProcess atFirst = cli.sub(first.port(), "-C", "1", "-t", "edge1/#");
        cli.pub(edgePort, "sensors/b", "to-first");
        assertThat(messages(atFirst)).containsExactly("edge1/sensors/b to-first");
        // the second broker was left with DISCONNECT, after the bridge said so on its state topic
        assertThat(messages(cli.sub(second.port(), "-C", "1", "-t", "$SYS/broker/connection/edge1/state")))
                .containsExactly("$SYS/broker/connection/edge1/state 0");
    }

    @Test
    @DisplayName("round_robin true: a lost connection moves to the next address and stays there while it works")
    void roundRobinTakesTheNextAddress() throws Exception {
        int[] p = Launched.freePorts(2);
        Mosquitto first = launched.mosquitto(dir, p[0], "allow_anonymous true");
        Mosquitto second = launched.mosquitto(dir, p[1], "allow_anonymous true");
        ClientProcess broker = startEdge(bridge("cloud", p[0], p[1]) + "round_robin true\n"
                + "topic sensors/# out 1 \"\" edge1/\n");
        awaitLine(broker, "bridge cloud: connected to 127.0.0.1:" + p[0]);

        first.restart();

        awaitLine(broker, "bridge cloud: connected to 127.0.0.1:" + p[1]);
        ClientProcess atSecond = cli.sub(second.port(), "-C", "1", "-t", "edge1/#");
        cli.pub(edgePort, "sensors/a", "first-is-back-but-unused");
        assertThat(messages(atSecond)).containsExactly("edge1/sensors/a first-is-back-but-unused");

        second.stop();

        await().atMost(PATIENCE).until(() -> count(broker.output(), "bridge cloud: connected to 127.0.0.1:" + p[0])
                == 2);
    }

    @Test
    @DisplayName("start_type lazy: connects once threshold messages wait, sends them in order, leaves when idle, "
            + "and comes back for the next ones")
    void lazyConnectsAtThresholdAndLeavesWhenIdle() throws Exception {
        Mosquitto cloud = launched.mosquitto(dir, "allow_anonymous true");
        ClientProcess broker = startEdge(bridge("cloud", cloud.port()) + "start_type lazy\nthreshold 3\n"
                + "idle_timeout 1\ntopic sensors/# out 1 \"\" edge1/\n");
        ClientProcess atCloud = cli.sub(cloud.port(), "-C", "6", "-t", "edge1/#");

        cli.pub(edgePort, "sensors/1", "r1");
        cli.pub(edgePort, "sensors/2", "r2");
        await().atMost(PATIENCE).until(() -> metric(httpPort, waiting()) == 2);
        assertThat(linesWith(broker, "bridge cloud: connected to")).as("below the threshold").isEmpty();
        cli.pub(edgePort, "sensors/3", "r3");

        awaitLine(broker, "bridge cloud: connected to");
        awaitLine(broker, "bridge cloud: idle for 1 s, disconnecting");
        await().atMost(PATIENCE).until(() -> metric(httpPort, connected()) == 0);
        for (int i = 4; i <= 6; i++) {
            cli.pub(edgePort, "sensors/" + i, "r" + i);
        }

        assertThat(messages(atCloud)).containsExactly("edge1/sensors/1 r1", "edge1/sensors/2 r2",
                "edge1/sensors/3 r3", "edge1/sensors/4 r4", "edge1/sensors/5 r5", "edge1/sensors/6 r6");
        assertThat(linesWith(broker, "bridge cloud: connected to")).hasSize(2);
        assertThat(linesWith(broker, "connection to")).as("an idle disconnect is no lost connection").isEmpty();
    }

    @Test
    @DisplayName("start_type once: after the connection is lost the bridge does not reconnect; QoS 1 messages wait")
    void onceDoesNotReconnect() throws Exception {
        Mosquitto cloud = launched.mosquitto(dir, "allow_anonymous true");
        ClientProcess broker = startEdge(bridge("cloud", cloud.port()) + "start_type once\n"
                + "topic sensors/# out 1 \"\" edge1/\n");
        awaitLine(broker, "bridge cloud: connected to");

        cloud.restart();

        awaitLine(broker, "bridge cloud: start_type once: not reconnecting");
        cli.pub(edgePort, "sensors/1", "kept");
        await().atMost(PATIENCE).until(() -> metric(httpPort, waiting()) == 1);
        assertThat(metric(httpPort, connected())).isZero();
        assertThat(linesWith(broker, "bridge cloud: connected to")).hasSize(1);
    }

    @Test
    @DisplayName("bridge_max_packet_size: a larger message is not sent, but counted and logged; the next ones are")
    void largerMessagesThanMaxPacketSizeAreDropped() throws Exception {
        Mosquitto cloud = launched.mosquitto(dir, "allow_anonymous true");
        ClientProcess broker = startEdge(bridge("cloud", cloud.port()) + "bridge_max_packet_size 100\n"
                + "topic sensors/# out 1 \"\" edge1/\n");
        awaitLine(broker, "bridge cloud: connected to");
        ClientProcess atCloud = cli.sub(cloud.port(), "-C", "2", "-t", "edge1/#");

        cli.pub(edgePort, "sensors/small", "x".repeat(50));
        cli.pub(edgePort, "sensors/large", "y".repeat(200));
        cli.pub(edgePort, "sensors/after", "z");

        assertThat(messages(atCloud)).containsExactly("edge1/sensors/small " + "x".repeat(50),
                "edge1/sensors/after z");
        assertThat(linesWith(broker, "bridge cloud: message on 'edge1/sensors/large' is")).singleElement()
                .asString().contains("bridge_max_packet_size", "dropped");
        assertThat(metric(httpPort, "wrenmq_bridge_messages_dropped_total{bridge=\"cloud\",reason=\"too_large\"}"))
                .isEqualTo(1);
    }

    // ---- the edge ----

    /** A connection block to these loopback ports, with a short constant restart_timeout; "cloud" is edge1 there. */
    private static String bridge(String name, int... ports) {
        StringBuilder addresses = new StringBuilder();
        for (int port : ports) {
            addresses.append(addresses.length() == 0 ? "" : " ").append("127.0.0.1:").append(port);
        }
        String remoteClientId = name.equals("cloud") ? "edge1" : name;
        return "\nconnection " + name + "\naddress " + addresses + "\nremote_clientid " + remoteClientId
                + "\nrestart_timeout 1\n";
    }

    private static String probe(String name) {
        return "topic probe/# out 1 \"\" " + name + "/\n";
    }

    /** ./wrenmq with these bridges, a listener and /metrics; waits until it serves clients. */
    private ClientProcess startEdge(String bridges) throws Exception {
        Path conf = Files.writeString(dir.resolve("edge.conf"), "listener " + edgePort + " 127.0.0.1\n"
                + "allow_anonymous true\nhttp_listener " + httpPort + "\npersistence_location "
                + dir.resolve("edge-data") + "\n" + bridges);
        return Launched.awaitListening(launched.wrenmq(dir, "-c", conf.toString()));
    }


    private static String waiting() {
        return "wrenmq_bridge_messages_waiting{bridge=\"cloud\"}";
    }

    private static String connected() {
        return "wrenmq_bridge_connected{bridge=\"cloud\"}";
    }
}
