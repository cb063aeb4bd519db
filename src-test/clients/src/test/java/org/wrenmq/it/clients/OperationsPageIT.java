package org.wrenmq.it.clients;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Base64;
import java.util.List;

import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.wrenmq.it.support.ClientProcess;
import org.wrenmq.it.support.DocPage;
import org.wrenmq.it.support.Ports;

/**
 * docs/operations.md as printed: each {@code http_listener} line of its wrenmq.conf in a broker run by
 * {@code ./wrenmq}, answering as the page's table says (what an operator's curl or Prometheus would see), the
 * login rule for {@code /metrics}, and the two start errors it shows. What differs from the page: port 9100 is a
 * free port, {@code 0.0.0.0} is 127.0.0.1 (tests listen on loopback only), and the MQTT listener is a free port of
 * 127.0.0.1.
 */
@DisplayName("docs/operations.md as printed")
class OperationsPageIT {
    private static final DocPage PAGE = DocPage.read("operations.md");
    private static final String TOP = "# Operating WrenMQ";
    private static final Duration PATIENCE = ClientProcess.PATIENCE;

    @TempDir
    Path dir;

    @RegisterExtension
    final Launched launched = new Launched();
    private final int[] ports = Launched.freePorts(2);
    private final int mqttPort = ports[0];
    private final int httpPort = ports[1];
    private final HttpClient http = HttpClient.newHttpClient();


    @Test
    @DisplayName("each http_listener line of the page serves /metrics, /health and /ready as its table says")
    void eachHttpListenerLineServesThePaths() throws Exception {
        List<String> lines = PAGE.codeBlockWith(TOP, "http_listener 9100").lines()
                .filter(l -> l.startsWith("http_listener")).toList();
        assertThat(lines).as("the page's http_listener lines").hasSize(2);
        for (String line : lines) {
            ClientProcess broker = startBroker("allow_anonymous true", asThisRun(line));

            HttpResponse<String> metrics = get("/metrics", null);
            assertThat(metrics.statusCode()).as("/metrics with %s", line).isEqualTo(200);
            assertThat(metrics.headers().firstValue("content-type")).hasValueSatisfying(
                    type -> assertThat(type).startsWith("text/plain; version=0.0.4"));
            assertThat(metrics.body()).contains("wrenmq_clients_connected ", "wrenmq_messages_received_total{");
            assertThat(get("/health", null).body().strip()).isEqualTo("ok");
            assertThat(get("/ready", null).body().strip()).isEqualTo("ok");
            assertThat(get("/nothing", null).statusCode()).isEqualTo(404);
            assertThat(http.send(HttpRequest.newBuilder(url("/metrics")).POST(HttpRequest.BodyPublishers.noBody())
                    .build(), HttpResponse.BodyHandlers.ofString()).statusCode()).as("POST").isEqualTo(405);
            broker.close();
        }
    }

    @Test
    @DisplayName("without anonymous clients /metrics asks for a password_file login; the probes stay open")
    void metricsFollowTheLoginRule() throws Exception {
        launched.run(dir, "mosquitto_passwd", "-c", "-b", "passwd", "prometheus", "scrape-pw").awaitSuccess();
        String line = PAGE.codeBlockWith(TOP, "http_listener 9100").lines()
                .filter(l -> l.startsWith("http_listener")).findFirst().orElseThrow();
        startBroker("allow_anonymous false", "password_file " + dir.resolve("passwd"), asThisRun(line));

        HttpResponse<String> anonymous = get("/metrics", null);
        assertThat(anonymous.statusCode()).isEqualTo(401);
        assertThat(anonymous.headers().firstValue("www-authenticate")).hasValueSatisfying(
                challenge -> assertThat(challenge).startsWith("Basic"));
        assertThat(get("/metrics", "prometheus:wrong").statusCode()).isEqualTo(401);
        assertThat(get("/metrics", "prometheus:scrape-pw").statusCode()).isEqualTo(200);
        assertThat(get("/health", null).statusCode()).isEqualTo(200);
        assertThat(get("/ready", null).statusCode()).isEqualTo(200);
    }

    @Test
    @DisplayName("a wrong http_listener line and a port in use stop the start as the page prints")
    void startErrorsAsPrinted() throws Exception {
        List<String> printed = PAGE.codeBlockWith(TOP, "$ ./wrenmq").lines().toList();
        String error = printed.get(1);
        int line = Integer.parseInt(error.replaceFirst("^wrenmq: wrenmq\\.conf:(\\d+): .*", "$1"));
        String value = error.replaceFirst(".*, not (\\d+)$", "$1");
        String[] config = {"listener " + mqttPort + " 127.0.0.1", "allow_anonymous true", "persistence false", "",
            "", "", "http_listener " + value};
        assertThat(config).as("the page's wrong line is line %d", line).hasSize(line);
        Files.write(dir.resolve("wrenmq.conf"), List.of(config));
        ClientProcess wrong = launched.shell(dir, printed.get(0).substring("$ ".length()));
        assertThat(wrong.awaitExit()).isEqualTo(1);
        assertThat(wrong.output().lines()).contains(error);

        String inUse = PAGE.inlineCode(TOP, "wrenmq: cannot listen on http_listener")
                .replace("9100", String.valueOf(httpPort)).replace(": ...", ": ");
        try (ServerSocket taken = new ServerSocket(httpPort, 1, InetAddress.getLoopbackAddress())) {
            Files.write(dir.resolve("wrenmq.conf"), List.of("listener " + mqttPort + " 127.0.0.1",
                    "allow_anonymous true", "persistence false", "http_listener " + httpPort));
            ClientProcess refused = launched.wrenmq(dir, "-c", dir.resolve("wrenmq.conf").toString());
            assertThat(refused.awaitExit()).isEqualTo(1);
            assertThat(refused.output().lines()).anyMatch(l -> l.startsWith(inUse));
        }
    }

    private String asThisRun(String printed) {
        return printed.replace("9100", String.valueOf(httpPort)).replace("0.0.0.0", "127.0.0.1");
    }

    private ClientProcess startBroker(String... settings) throws IOException {
        Files.write(dir.resolve("wrenmq.conf"), List.of("listener " + mqttPort + " 127.0.0.1", "persistence false",
                String.join("\n", settings)));
        ClientProcess broker = launched.wrenmq(dir, "-c", dir.resolve("wrenmq.conf").toString());
        Launched.awaitListening(broker);
        // the HTTP listener opens after the MQTT listeners
        await().atMost(PATIENCE).pollInterval(Duration.ofMillis(100)).until(() -> Ports.listening(httpPort));
        return broker;
    }

    private URI url(String path) {
        return URI.create("http://127.0.0.1:" + httpPort + path);
    }

    private HttpResponse<String> get(String path, String userAndPassword) {
        HttpRequest.Builder request = HttpRequest.newBuilder(url(path)).timeout(PATIENCE);
        if (userAndPassword != null) {
            request.header("Authorization", "Basic " + Base64.getEncoder()
                    .encodeToString(userAndPassword.getBytes(StandardCharsets.UTF_8)));
        }
        try {
            return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }
}
