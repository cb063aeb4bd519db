package org.wrenmq.it.clients;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.wrenmq.it.support.ClientProcess;

/**
 * Issue 22 from outside, on {@code ./wrenmq}: sockets that never send CONNECT (closed, refused above
 * max_pending_connections, counted in /metrics, one log line per address however many), and a client publishing
 * to {@code $SYS} with mosquitto_pub at MQTT 3.1.1 and 5 (acknowledged, 0x87 at 5, never retained nor routed,
 * counted, one log line per client).
 */
@DisplayName("hostile clients against ./wrenmq: silent sockets, $SYS spoofing (mosquitto_pub/_sub)")
class HostileClientsIT {
    private static final int PENDING = 10;
    private static final int SILENT = 30;

    @TempDir
    Path dir;

    @RegisterExtension
    final Launched launched = new Launched();
    private final int port = Launched.freePort();
    private final int httpPort = Launched.freePort();
    private ClientProcess broker;


    @Test
    @DisplayName("30 silent sockets from one address, max_pending_connections 10: 20 refused, 10 closed at connect_timeout, counted, one log line")
    void silentSocketsAreClosedCountedAndLoggedOnce() throws Exception {
        start("connect_timeout 1", "max_pending_connections " + PENDING);
        List<Socket> sockets = new ArrayList<>();
        try {
            for (int i = 0; i < SILENT; i++) {
                sockets.add(new Socket("127.0.0.1", port));
            }
            for (Socket s : sockets) {
                assertClosedByBroker(s);
            }
        } finally {
            for (Socket s : sockets) {
                s.close();
            }
        }

        String metrics = get("/metrics");
        assertThat(metrics).contains("wrenmq_connections_refused_total{reason=\"max_pending_connections\"} "
                + (SILENT - PENDING) + ".0", "wrenmq_connections_closed_total{reason=\"connect_timeout\"} "
                + PENDING + ".0");
        assertThat(broker.output().lines().filter(l -> l.contains("PendingConnections")))
                .as("log lines about the 30 sockets; output:%n%s", broker.output()).hasSize(1);
        assertThat(publish("mqttv311", "after/silent", "1").awaitExit()).as("a real client still connects").isZero();
    }

    @ParameterizedTest(name = "MQTT {0}")
    @CsvSource({"mqttv311, 0", "mqttv5, 1"})
    @DisplayName("mosquitto_pub -r to $SYS/broker/version three times: acknowledged (0x87 at 5), not retained, not routed, counted, one log line")
    void sysIsReadOnly(String version, int notAuthorizedWarnings) throws Exception {
        start();
        ClientProcess reader = launched.run(dir, "mosquitto_sub", "-h", "127.0.0.1", "-p", Integer.toString(port),
                "-V", version, "-t", "$SYS/broker/version", "-t", "spoof/#", "-v");
        awaitSubscribed(reader);

        ClientProcess spoofer = launched.run(dir, "mosquitto_pub", "-h", "127.0.0.1", "-p", Integer.toString(port),
                "-V", version, "-i", "spoofer", "-q", "1", "-r", "-t", "$SYS/broker/version", "-m", "spoofed 9.9",
                "--repeat", "3", "--repeat-delay", "0");

        assertThat(spoofer.awaitExit()).as("mosquitto_pub; output:%n%s", spoofer.output()).isZero();
        assertThat(spoofer.output().lines().filter(l -> l.contains("Not authorized")))
                .as("mosquitto_pub's warnings; output:%n%s", spoofer.output()).hasSize(3 * notAuthorizedWarnings);
        assertThat(launched.run(dir, "mosquitto_sub", "-h", "127.0.0.1", "-p", Integer.toString(port), "-V", version,
                "-t", "$SYS/broker/version", "-C", "1", "-W", "10").awaitSuccess())
                .as("the retained value a new subscriber gets").startsWith("WrenMQ").doesNotContain("spoofed");
        assertThat(get("/metrics")).contains("wrenmq_messages_refused_total{reason=\"sys_topic\"} 3.0");
        assertThat(broker.output().lines().filter(l -> l.contains("$SYS is read-only")))
                .as("log lines; output:%n%s", broker.output()).hasSize(1);
        assertThat(reader.output()).as("what the subscriber saw").doesNotContain("spoofed").contains("spoof/sentinel");
    }

    private void start(String... settings) throws IOException {
        List<String> lines = new ArrayList<>(List.of("listener " + port + " 127.0.0.1", "allow_anonymous true",
                "persistence false", "http_listener " + httpPort));
        lines.addAll(List.of(settings));
        Files.write(dir.resolve("wrenmq.conf"), lines);
        broker = Launched.awaitListening(launched.wrenmq(dir, "-c", dir.resolve("wrenmq.conf").toString()));
    }

    private ClientProcess publish(String version, String topic, String message) {
        return launched.run(dir, "mosquitto_pub", "-h", "127.0.0.1", "-p", Integer.toString(port), "-V", version,
                "-t", topic, "-m", message);
    }

    /** Publishes a sentinel until the subscriber prints it: it is subscribed then, and prints in order after. */
    private void awaitSubscribed(ClientProcess subscriber) {
        await().atMost(ClientProcess.PATIENCE).until(() -> {
            publish("mqttv311", "spoof/sentinel", "ready").awaitExit();
            return subscriber.output().contains("spoof/sentinel");
        });
    }

    private String get(String path) throws Exception {
        HttpResponse<String> response = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                URI.create("http://127.0.0.1:" + httpPort + path)).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).as("GET %s", path).isEqualTo(200);
        return response.body();
    }

    private static void assertClosedByBroker(Socket socket) throws IOException {
        socket.setSoTimeout((int) ClientProcess.PATIENCE.toMillis());
        try {
            assertThat(socket.getInputStream().read()).as("end of stream").isEqualTo(-1);
        } catch (SocketTimeoutException e) {
            throw new AssertionError("still open after " + ClientProcess.PATIENCE, e);
        } catch (IOException reset) {
            // closed by the broker
        }
    }
}
