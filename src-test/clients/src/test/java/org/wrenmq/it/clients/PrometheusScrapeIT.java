package org.wrenmq.it.clients;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.wrenmq.it.support.ClientProcess;
import org.wrenmq.it.support.Ports;

/**
 * {@code /metrics} as Prometheus itself reads it: Debian's Prometheus server scrapes a {@code ./wrenmq} every second
 * (with HTTP basic authentication against the broker's password file), the test sends known traffic with Debian's
 * mosquitto_pub and mosquitto_sub, and asks Prometheus' query API for the {@code wrenmq_*} series it stored; and
 * {@code promtool check metrics} (Prometheus' own text parser and linter) finds nothing to say about the page.
 */
@DisplayName("Prometheus scrapes ./wrenmq")
class PrometheusScrapeIT {
    /** QoS 1 messages a live subscriber gets. */
    private static final int LIVE_MESSAGES = 32;
    /** QoS 1 messages published for an offline persistent session that may queue {@link #QUEUE_LIMIT}. */
    private static final int OFFLINE_MESSAGES = 5;
    private static final int QUEUE_LIMIT = 3;
    private static final String SCRAPER = "prometheus";
    private static final String SCRAPER_PASSWORD = "scrape-pw";

    @TempDir
    Path dir;

    @RegisterExtension
    final Launched launched = new Launched();
    private final int[] ports = Launched.freePorts(2);
    private final int mqttPort = ports[0];
    private final int httpPort = ports[1];
    private int connections;


    @Test
    @DisplayName("the series Prometheus stores count the traffic mosquitto's clients sent, by QoS and by reason")
    void prometheusSeesTheKnownTraffic() throws Exception {
        passwords("sensor", "sensor-pw", "reader", "reader-pw", SCRAPER, SCRAPER_PASSWORD);
        Files.write(dir.resolve("acl"), List.of("user sensor", "topic readwrite #",
                "user reader", "topic read public/#", "topic deny public/secret"));
        startBroker("allow_anonymous false", "password_file " + dir.resolve("passwd"), "acl_file " + dir.resolve("acl"),
                "max_queued_messages " + QUEUE_LIMIT, "sys_interval 0");
        Files.writeString(dir.resolve("scrape-password"), SCRAPER_PASSWORD);
        PrometheusServer prometheus = PrometheusServer.start(launched, dir, List.of("127.0.0.1:" + httpPort),
                "basic_auth: {username: " + SCRAPER + ", password_file: " + dir.resolve("scrape-password") + "}");

        // a refused login
        assertThat(client("mosquitto_pub", "-u", "sensor", "-P", "wrong", "-t", "x", "-m", "y").awaitExit())
                .isNotZero();
        // a persistent session that subscribes and leaves: its messages queue, up to max_queued_messages
        client("mosquitto_sub", "-u", "sensor", "-P", "sensor-pw", "-i", "keeper", "-c", "-q", "1", "-t", "plant/#",
                "-E").awaitSuccess();
        // QoS 1 to a live subscriber
        ClientProcess live = subscribed(client("mosquitto_sub", "-d", "-u", "sensor", "-P", "sensor-pw", "-q", "1",
                "-t", "live/#", "-C", String.valueOf(LIVE_MESSAGES)));
        publish("-q", "1", "-t", "live/data", "-m", "reading", "--repeat", String.valueOf(LIVE_MESSAGES));
        live.awaitSuccess();
        publish("-q", "1", "-t", "plant/line1", "-m", "queued", "--repeat", String.valueOf(OFFLINE_MESSAGES));
        // a delivery the acl_file denies, then one it allows
        ClientProcess reader = subscribed(client("mosquitto_sub", "-d", "-u", "reader", "-P", "reader-pw",
                "-t", "public/#", "-C", "1", "-v"));
        publish("-t", "public/secret", "-m", "hidden");
        publish("-t", "public/news", "-m", "shown");
        assertThat(reader.awaitSuccess()).contains("public/news shown").doesNotContain("hidden");
        // a message too large for an MQTT 5 subscriber's maximum packet size, then one that fits
        ClientProcess small = subscribed(client("mosquitto_sub", "-d", "-V", "5", "-D", "CONNECT",
                "maximum-packet-size", "64", "-u", "sensor", "-P", "sensor-pw", "-t", "big/#", "-C", "1", "-v"));
        publish("-t", "big/x", "-m", "x".repeat(200));
        publish("-t", "big/x", "-m", "fits");
        assertThat(small.awaitSuccess()).contains("big/x fits").doesNotContain("xxxx");
        publish("-r", "-t", "status/line1", "-m", "running");

        Map<String, Double> expected = Map.ofEntries(
                Map.entry("up{job=\"wrenmq\"}", 1.0),
                Map.entry("wrenmq_connections_accepted_total", (double) connections),
                Map.entry("wrenmq_connections_refused_total{reason=\"not_authorized\"}", 1.0),
                Map.entry("wrenmq_connections_refused_total{reason=\"max_connections\"}", 0.0),
                Map.entry("wrenmq_clients_connected", 0.0),
                Map.entry("wrenmq_messages_received_total{qos=\"1\"}", (double) LIVE_MESSAGES + OFFLINE_MESSAGES),
                Map.entry("wrenmq_messages_received_total{qos=\"0\"}", 5.0),
                Map.entry("wrenmq_messages_received_total{qos=\"2\"}", 0.0),
                Map.entry("wrenmq_messages_sent_total{qos=\"1\"}", (double) LIVE_MESSAGES),
                Map.entry("wrenmq_messages_sent_total{qos=\"0\"}", 2.0),
                Map.entry("wrenmq_messages_queued", (double) QUEUE_LIMIT),
                Map.entry("wrenmq_messages_dropped_total{reason=\"queue_full\"}",
                        (double) OFFLINE_MESSAGES - QUEUE_LIMIT),
                Map.entry("wrenmq_messages_dropped_total{reason=\"acl\"}", 1.0),
                Map.entry("wrenmq_messages_dropped_total{reason=\"too_large_for_client\"}", 1.0),
                Map.entry("wrenmq_messages_dropped_total{reason=\"expired\"}", 0.0),
                Map.entry("wrenmq_acl_denied_total{action=\"delivery\"}", 1.0),
                Map.entry("wrenmq_retained_messages", 1.0),
                Map.entry("wrenmq_subscriptions", 1.0),
                Map.entry("wrenmq_sessions{connected=\"false\",persistent=\"true\"}", 1.0),
                Map.entry("wrenmq_sessions{connected=\"true\",persistent=\"true\"}", 0.0));
        await("Prometheus' latest samples").atMost(ClientProcess.PATIENCE).pollInterval(Duration.ofMillis(500))
                .untilAsserted(() -> {
                    List<String> wrong = new ArrayList<>();
                    expected.forEach((query, value) -> {
                        double seen = prometheus.value(query);
                        if (seen != value) {
                            wrong.add(query + " = " + seen + ", expected " + value);
                        }
                    });
                    assertThat(wrong).as("series that differ").isEmpty();
                });

        long payloadBytes = LIVE_MESSAGES * "reading".length();
        assertThat(prometheus.value("wrenmq_received_bytes_total")).isGreaterThan(payloadBytes);
        assertThat(prometheus.value("wrenmq_sent_bytes_total")).isGreaterThan(payloadBytes);
        assertThat(prometheus.value("wrenmq_store_size_bytes")).isPositive();
        assertThat(prometheus.value("wrenmq_store_commit_duration_seconds_count")).isPositive();
        assertThat(prometheus.value("wrenmq_store_commit_duration_seconds_bucket{le=\"+Inf\"}"))
                .isEqualTo(prometheus.value("wrenmq_store_commit_duration_seconds_count"));
        // one incoming PUBLISH in 16 is timed: 32 to live subscribers give at least one
        assertThat(prometheus.value("wrenmq_delivery_latency_seconds_count")).isGreaterThanOrEqualTo(1);
        assertThat(prometheus.value("histogram_quantile(0.99, wrenmq_delivery_latency_seconds_bucket)"))
                .isPositive();
        assertThat(prometheus.value("sum(jvm_memory_used_bytes{area=\"heap\"})")).isPositive();
        assertThat(prometheus.value("process_cpu_seconds_total")).isPositive();
        assertThat(prometheus.value("jvm_threads_current")).isPositive();
    }

    @Test
    @DisplayName("promtool check metrics: Prometheus' own parser and linter accept every line of /metrics")
    void promtoolAcceptsThePage() throws Exception {
        startBroker("allow_anonymous true", "sys_interval 1");
        publish("-q", "1", "-t", "a/b", "-m", "one");
        String page = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                URI.create("http://127.0.0.1:" + httpPort + "/metrics")).build(),
                HttpResponse.BodyHandlers.ofString()).body();
        assertThat(page).contains("wrenmq_messages_received_total{qos=\"1\"} 1", "jvm_memory_used_bytes");
        Files.writeString(dir.resolve("metrics.txt"), page);
        ClientProcess check = launched.run(dir, "bash", "-c", PrometheusServer.PROMTOOL + " check metrics < metrics.txt");
        assertThat(check.awaitExit()).as("promtool check metrics; output:%n%s", check.output()).isZero();
        assertThat(check.output()).isEmpty();
    }

    @Test
    @DisplayName("every node of a cluster is a target Prometheus scrapes, each with its own figures")
    void prometheusScrapesEveryNodeOfACluster() throws Exception {
        int[] free = Launched.freePorts(6);
        int[] mqtt = {free[0], free[1]};
        int[] cluster = {free[2], free[3]};
        int[] http = {free[4], free[5]};
        List<String> targets = new ArrayList<>();
        for (int node = 0; node < 2; node++) {
            Path nodeDir = Files.createDirectories(dir.resolve("node" + (node + 1)));
            Files.write(nodeDir.resolve("wrenmq.conf"), List.of("listener " + mqtt[node] + " 127.0.0.1",
                    "allow_anonymous true", "persistence_location " + nodeDir.resolve("data"),
                    "http_listener " + http[node], "cluster_name scrape-it",
                    "cluster_listener " + cluster[node] + " 127.0.0.1",
                    "cluster_members 127.0.0.1:" + cluster[0] + ",127.0.0.1:" + cluster[1]));
            launched.wrenmq(nodeDir, "-c", nodeDir.resolve("wrenmq.conf").toString());
            targets.add("127.0.0.1:" + http[node]);
        }
        for (int node = 0; node < 2; node++) {
            int port = http[node];
            await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(200))
                    .until(() -> Ports.listening(port));
        }
        PrometheusServer prometheus = PrometheusServer.start(launched, dir, targets);
        // one client that stays, on the second node only
        ClientProcess watcher = launched.run(dir, "stdbuf", "-oL", "mosquitto_sub", "-d", "-p",
                String.valueOf(mqtt[1]), "-t", "plant/#");
        subscribed(watcher);

        await("both nodes scraped").atMost(ClientProcess.PATIENCE).pollInterval(Duration.ofMillis(500))
                .untilAsserted(() -> {
                    assertThat(prometheus.query("up")).containsExactlyInAnyOrderEntriesOf(Map.of(
                            "{instance=\"" + targets.get(0) + "\",job=\"wrenmq\"}", 1.0,
                            "{instance=\"" + targets.get(1) + "\",job=\"wrenmq\"}", 1.0));
                    assertThat(prometheus.query("wrenmq_clients_connected")).containsExactlyInAnyOrderEntriesOf(Map.of(
                            "{instance=\"" + targets.get(0) + "\",job=\"wrenmq\"}", 0.0,
                            "{instance=\"" + targets.get(1) + "\",job=\"wrenmq\"}", 1.0));
                });
    }

    private void passwords(String... usersAndPasswords) {
        for (int i = 0; i < usersAndPasswords.length; i += 2) {
            List<String> command = new ArrayList<>(List.of("mosquitto_passwd"));
            if (i == 0) {
                command.add("-c");
            }
            command.addAll(List.of("-b", "passwd", usersAndPasswords[i], usersAndPasswords[i + 1]));
            launched.run(dir, command.toArray(String[]::new)).awaitSuccess();
        }
    }

    private void startBroker(String... settings) throws IOException {
        List<String> config = new ArrayList<>(List.of("listener " + mqttPort + " 127.0.0.1",
                "persistence_location " + dir.resolve("data"), "http_listener " + httpPort));
        config.addAll(List.of(settings));
        Files.write(dir.resolve("wrenmq.conf"), config);
        Launched.awaitListening(launched.wrenmq(dir, "-c", dir.resolve("wrenmq.conf").toString()));
        // the HTTP listener opens after the MQTT listeners
        await().atMost(ClientProcess.PATIENCE).pollInterval(Duration.ofMillis(100))
                .until(() -> Ports.listening(httpPort));
    }

    /**
     * One of mosquitto's clients on the broker's port; each is one connection the broker accepts. Line-buffered
     * (stdbuf): mosquitto_sub's lines are block-buffered when written to a pipe.
     */
    private ClientProcess client(String program, String... args) {
        List<String> command = new ArrayList<>(List.of("stdbuf", "-oL", program, "-h", "127.0.0.1",
                "-p", String.valueOf(mqttPort)));
        command.addAll(List.of(args));
        connections++;
        return launched.run(dir, command.toArray(String[]::new));
    }

    private void publish(String... args) {
        List<String> command = new ArrayList<>(List.of("-u", "sensor", "-P", "sensor-pw"));
        command.addAll(List.of(args));
        client("mosquitto_pub", command.toArray(String[]::new)).awaitSuccess();
    }

    /** Waits for the SUBACK a {@code mosquitto_sub -d} prints, so that nothing is published before it. */
    private static ClientProcess subscribed(ClientProcess subscriber) {
        await().atMost(ClientProcess.PATIENCE).pollInterval(Duration.ofMillis(50)).until(() -> {
            assertThat(subscriber.isAlive() || subscriber.output().contains("SUBACK"))
                    .as("%s running; output:%n%s", subscriber, subscriber.output()).isTrue();
            return subscriber.output().contains("SUBACK");
        });
        return subscriber;
    }
}
