package org.wrenmq.it.clients;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.wrenmq.it.support.ClientProcess;

/**
 * mosquitto_pub and mosquitto_sub against brokers on 127.0.0.1, as the bridge tests drive both ends, and the
 * figures of a broker's {@code /metrics}.
 */
final class MosquittoCli {
    private final Launched launched;
    private final Path dir;

    MosquittoCli(Launched launched, Path dir) {
        this.launched = launched;
        this.dir = dir;
    }

    /** One QoS 1 message; {@code options} are more mosquitto_pub options (user, TLS). */
    void pub(int port, String topic, String message, String... options) throws InterruptedException {
        List<String> command = new ArrayList<>(List.of("mosquitto_pub", "-h", "127.0.0.1", "-p",
                Integer.toString(port), "-q", "1", "-t", topic, "-m", message));
        command.addAll(List.of(options));
        launched.run(dir, command.toArray(new String[0])).awaitSuccess();
    }

    /** A QoS 1 mosquitto_sub printing "topic payload" lines, started and subscribed before this returns. */
    ClientProcess sub(int port, String... args) {
        List<String> command = new ArrayList<>(List.of("stdbuf", "-oL", "mosquitto_sub", "-h", "127.0.0.1",
                "-p", Integer.toString(port), "-q", "1", "-v", "-d", "-W",
                Long.toString(ClientProcess.PATIENCE.toSeconds())));
        command.addAll(List.of(args));
        ClientProcess p = launched.run(dir, command.toArray(new String[0]));
        await().atMost(ClientProcess.PATIENCE).until(() -> p.output().contains("Subscribed (mid: 1)"));
        return p;
    }

    /** The "topic payload" lines of a mosquitto_sub -v -d once it ended, without its debug lines. */
    static List<String> messages(ClientProcess sub) {
        return sub.awaitSuccess().lines()
                .filter(l -> !l.startsWith("Client ") && !l.startsWith("Subscribed (")).toList();
    }

    /** Waits until a broker printed {@code text}; fails with its output if it does not, or if it ends. */
    static void awaitLine(ClientProcess broker, String text) {
        await().atMost(ClientProcess.PATIENCE).pollInterval(Duration.ofMillis(100)).untilAsserted(() -> {
            assertThat(broker.isAlive()).as("running; output:%n%s", broker.output()).isTrue();
            assertThat(broker.output()).contains(text);
        });
    }

    static int count(String text, String what) {
        int n = 0;
        for (int i = text.indexOf(what); i >= 0; i = text.indexOf(what, i + 1)) {
            n++;
        }
        return n;
    }

    /** The lines of a process's output that contain {@code what}. */
    static List<String> linesWith(ClientProcess process, String what) {
        return process.output().lines().filter(l -> l.contains(what)).toList();
    }

    /** The value of one series of {@code /metrics} (an anonymous scrape), e.g. {@code wrenmq_bridge_connected{bridge="cloud"}}. */
    static double metric(int httpPort, String series) throws IOException, InterruptedException {
        HttpResponse<String> r = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                URI.create("http://127.0.0.1:" + httpPort + "/metrics")).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(r.statusCode()).as("/metrics").isEqualTo(200);
        Matcher m = Pattern.compile("^" + Pattern.quote(series) + " (\\S+)$", Pattern.MULTILINE).matcher(r.body());
        assertThat(m.find()).as("%s in /metrics:%n%s", series, r.body()).isTrue();
        return Double.parseDouble(m.group(1));
    }
}
