package org.wrenmq.it.clients;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
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
import org.wrenmq.it.support.ClientProcess;
import org.wrenmq.it.support.Mosquitto;

/**
 * What an operator sees of a bridge from {@code ./wrenmq} to Debian's mosquitto, against traffic the test counts:
 * the {@code /metrics} bridge families and the state retained on {@code $SYS/broker/connection/REMOTE_CLIENTID/state},
 * while the link is up, while mosquitto is stopped, and once it is back.
 */
@DisplayName("a bridge's /metrics families and $SYS state against known traffic to mosquitto")
class BridgeObservabilityIT {
    private static final Duration PATIENCE = ClientProcess.PATIENCE;
    private static final String STATE = "$SYS/broker/connection/edge1/state";

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
    @DisplayName("connected, forwarded, received, waiting and dropped follow the messages sent; $SYS shows 1, 0, 1")
    void figuresFollowTheTraffic() throws Exception {
        Mosquitto cloud = launched.mosquitto(dir, "allow_anonymous true");
        startEdge(cloud.port());
        await().atMost(PATIENCE).until(() -> metric(httpPort, series("connected")) == 1);
        assertThat(state(edgePort)).as("here").isEqualTo("1");
        assertThat(state(cloud.port())).as("at the remote").isEqualTo("1");

        ClientProcess atCloud = cli.sub(cloud.port(), "-C", "3", "-t", "edge1/#");
        for (int i = 1; i <= 3; i++) {
            cli.pub(edgePort, "sensors/" + i, "reading-" + i);
        }
        assertThat(messages(atCloud)).containsExactly("edge1/sensors/1 reading-1", "edge1/sensors/2 reading-2",
                "edge1/sensors/3 reading-3");
        ClientProcess atEdge = cli.sub(edgePort, "-C", "2", "-t", "cmd/#");
        cli.pub(cloud.port(), "edge1/cmd/valve", "open");
        cli.pub(cloud.port(), "edge1/cmd/pump", "stop");
        assertThat(messages(atEdge)).containsExactly("cmd/valve open", "cmd/pump stop");
        assertFigures(1, 0, 3, 2, 0);

        cloud.stop();
        await().atMost(PATIENCE).until(() -> metric(httpPort, series("connected")) == 0);
        assertThat(state(edgePort)).isEqualTo("0");
        for (int i = 1; i <= 4; i++) {
            cli.pub(edgePort, "sensors/kept/" + i, "qos1-" + i);
        }
        cli.pub(edgePort, "sensors/lost/1", "qos0", "-q", "0");
        cli.pub(edgePort, "sensors/lost/2", "qos0", "-q", "0");
        await().atMost(PATIENCE).untilAsserted(() -> assertFigures(0, 4, 3, 2, 2));

        launched.mosquitto(dir, cloud.port(), "allow_anonymous true");
        // the four kept messages leave "waiting" only when mosquitto has acknowledged them
        await().atMost(PATIENCE).untilAsserted(() -> assertFigures(1, 0, 7, 2, 2));
        assertThat(state(edgePort)).isEqualTo("1");
        assertThat(metric(httpPort, "wrenmq_bridge_messages_dropped_total{bridge=\"cloud\",reason=\"too_large\"}"))
                .isZero();
    }

    private void assertFigures(int connected, int waiting, int forwarded, int received, int droppedOffline)
            throws Exception {
        assertThat(List.of(metric(httpPort, series("connected")), metric(httpPort, series("messages_waiting")),
                metric(httpPort, series("messages_forwarded_total")), metric(httpPort, series("messages_received_total")),
                metric(httpPort, "wrenmq_bridge_messages_dropped_total{bridge=\"cloud\",reason=\"qos0_offline\"}")))
                .as("connected, waiting, forwarded, received, dropped qos0_offline")
                .containsExactly((double) connected, (double) waiting, (double) forwarded, (double) received,
                        (double) droppedOffline);
    }

    private static String series(String family) {
        return "wrenmq_bridge_" + family + "{bridge=\"cloud\"}";
    }

    /** The retained state of the bridge on a broker's $SYS tree. */
    private String state(int port) {
        String line = messages(cli.sub(port, "-C", "1", "-t", STATE)).get(0);
        assertThat(line).startsWith(STATE + " ");
        return line.substring(STATE.length() + 1);
    }

    private void startEdge(int cloudPort) throws Exception {
        Path conf = Files.writeString(dir.resolve("edge.conf"), "listener " + edgePort + " 127.0.0.1\n"
                + "allow_anonymous true\n"
                + "http_listener " + httpPort + "\n"
                + "persistence_location " + dir.resolve("edge-data") + "\n"
                + "connection cloud\n"
                + "address 127.0.0.1:" + cloudPort + "\n"
                + "remote_clientid edge1\n"
                + "restart_timeout 1\n"
                + "topic sensors/# out 1 \"\" edge1/\n"
                + "topic cmd/# in 1 \"\" edge1/\n");
        Launched.awaitListening(launched.wrenmq(dir, "-c", conf.toString()));
    }
}
