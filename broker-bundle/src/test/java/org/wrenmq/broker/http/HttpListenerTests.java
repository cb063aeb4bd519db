package org.wrenmq.broker.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.netty.channel.embedded.EmbeddedChannel;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Path;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.eclipse.paho.client.mqttv3.MqttClient;
import org.eclipse.paho.client.mqttv3.MqttConnectOptions;
import org.eclipse.paho.client.mqttv3.persist.MemoryPersistence;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.wrenmq.broker.Broker;
import org.wrenmq.broker.BrokerConfig;
import org.wrenmq.broker.ListenerConfig;
import org.wrenmq.broker.auth.Authenticator;
import org.wrenmq.broker.auth.Authorizer;
import org.wrenmq.broker.json.JsonbWriter;
import org.wrenmq.broker.metrics.BrokerMetrics;
import org.wrenmq.broker.store.MemoryStore;

/** {@code http_listener}: /metrics, /health and /ready through a real socket, after real MQTT traffic. */
class HttpListenerTests {
    /** A sample line of the Prometheus text format: name, optional labels, a number. */
    private static final Pattern SAMPLE = Pattern.compile(
            "[a-zA-Z_:][a-zA-Z0-9_:]*(\\{[a-zA-Z_][a-zA-Z0-9_]*=\"(?:[^\"\\\\\\n]|\\\\.)*\""
                    + "(?:,[a-zA-Z_][a-zA-Z0-9_]*=\"(?:[^\"\\\\\\n]|\\\\.)*\")*,?})? "
                    + "(?:[-+]?[0-9.]+(?:[eE][-+]?[0-9]+)?|[-+]?Inf|NaN)( [0-9]+)?");
    private static final Pattern COMMENT = Pattern.compile(
            "# (HELP [a-zA-Z_:][a-zA-Z0-9_:]* .*|TYPE [a-zA-Z_:][a-zA-Z0-9_:]* "
                    + "(counter|gauge|histogram|summary|untyped|info|stateset|gaugehistogram|unknown))");

    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private Broker broker;
    private HttpEndpoint extraEndpoint;

    @AfterEach
    void stop() {
        if (extraEndpoint != null) {
            extraEndpoint.close();
        }
        if (broker != null) {
            broker.close();
        }
    }

    private Broker start(String... settings) {
        Broker.Builder b = Broker.builder().listener(0, "127.0.0.1").set("allow_anonymous", "true")
                .set("persistence", "false");
        for (int i = 0; i < settings.length; i += 2) {
            b.set(settings[i], settings[i + 1]);
        }
        broker = b.build().start();
        return broker;
    }

    @Test
    void metricsShowWhatRealClientsDidInTheTextFormat() throws Exception {
        start("http_listener", "0");
        AtomicInteger received = new AtomicInteger();
        MqttClient subscriber = connect("subscriber");
        subscriber.subscribe("plant/#", 1, (topic, message) -> received.incrementAndGet());
        MqttClient publisher = connect("publisher");
        for (int i = 0; i < 3; i++) {
            publisher.publish("plant/line1", ("qos1-" + i).getBytes(), 1, false);
        }
        publisher.publish("plant/line2", "qos0-a".getBytes(), 0, false);
        publisher.publish("plant/line2", "qos0-b".getBytes(), 0, true);
        await().atMost(Duration.ofSeconds(10)).until(() -> received.get() == 5);

        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
            Map<String, Double> m = samples(get("/metrics").body());
            assertThat(m).containsEntry("wrenmq_messages_received_total{qos=\"1\"}", 3.0)
                    .containsEntry("wrenmq_messages_received_total{qos=\"0\"}", 2.0)
                    .containsEntry("wrenmq_messages_received_total{qos=\"2\"}", 0.0)
                    .containsEntry("wrenmq_messages_sent_total{qos=\"1\"}", 3.0)
                    .containsEntry("wrenmq_messages_sent_total{qos=\"0\"}", 2.0)
                    .containsEntry("wrenmq_clients_connected", 2.0)
                    .containsEntry("wrenmq_connections_accepted_total", 2.0)
                    .containsEntry("wrenmq_connections_refused_total{reason=\"not_authorized\"}", 0.0)
                    .containsEntry("wrenmq_messages_dropped_total{reason=\"queue_full\"}", 0.0)
                    .containsEntry("wrenmq_acl_denied_total{action=\"publish\"}", 0.0)
                    .containsEntry("wrenmq_messages_refused_total{reason=\"sys_topic\"}", 0.0)
                    .containsEntry("wrenmq_connections_closed_total{reason=\"connect_timeout\"}", 0.0)
                    .containsEntry("wrenmq_subscriptions", 1.0)
                    .containsEntry("wrenmq_sessions{connected=\"true\",persistent=\"false\"}", 2.0);
            assertThat(m.get("wrenmq_retained_messages")).isGreaterThanOrEqualTo(1.0);
            assertThat(m.get("wrenmq_received_bytes_total")).isGreaterThan(5 * "plant/line1".length());
            assertThat(m.get("wrenmq_sent_bytes_total")).isGreaterThan(5 * "plant/line1".length());
            assertThat(m.keySet()).anyMatch(name -> name.startsWith("jvm_memory_used_bytes"));
        });
        HttpResponse<String> scrape = get("/metrics");
        assertThat(scrape.headers().firstValue("Content-Type")).hasValueSatisfying(
                type -> assertThat(type).startsWith("text/plain; version=0.0.4"));
        assertThat(scrape.body()).contains("# TYPE wrenmq_messages_received_total counter",
                "# TYPE wrenmq_clients_connected gauge");
        publisher.disconnect();
        subscriber.disconnect();
    }

    @Test
    void storeCommitTimesAreAHistogramInSeconds(@TempDir Path store) throws Exception {
        start("http_listener", "0", "persistence", "true", "persistence_location", store.toString());
        MqttClient publisher = connect("durable-publisher");
        publisher.publish("orders/1", "pay".getBytes(), 1, true);
        publisher.disconnect();
        String body = get("/metrics").body();
        assertWellFormed(body);
        Map<String, Double> m = samples(body);
        assertThat(m.get("wrenmq_store_commit_duration_seconds_count")).isGreaterThanOrEqualTo(1.0);
        assertThat(m.get("wrenmq_store_commit_duration_seconds_sum")).isGreaterThan(0.0);
        assertThat(m).containsKey("wrenmq_store_commit_duration_seconds_bucket{le=\"+Inf\"}");
        assertThat(m.get("wrenmq_store_size_bytes")).as("the store file").isGreaterThan(0.0);
    }

    @Test
    void oneDeliveryInSixteenIsTimedInTheLatencyHistogram() throws Exception {
        start("http_listener", "0");
        AtomicInteger received = new AtomicInteger();
        MqttClient subscriber = connect("timed-subscriber");
        subscriber.subscribe("line/#", 0, (topic, message) -> received.incrementAndGet());
        MqttClient publisher = connect("timed-publisher");
        for (int i = 0; i < 32; i++) {
            publisher.publish("line/" + i, "x".getBytes(), 0, false);
        }
        await().atMost(Duration.ofSeconds(10)).until(() -> received.get() == 32);
        String body = get("/metrics").body();
        assertWellFormed(body);
        Map<String, Double> m = samples(body);
        assertThat(m.get("wrenmq_delivery_latency_seconds_count")).isEqualTo(2.0);
        assertThat(m.get("wrenmq_delivery_latency_seconds_sum")).isGreaterThan(0.0).isLessThan(10.0);
        assertThat(m.get("wrenmq_delivery_latency_seconds_bucket{le=\"10.0\"}")).isEqualTo(2.0);
        publisher.disconnect();
        subscriber.disconnect();
    }

    @Test
    void everyLineOfTheScrapeIsWellFormed() throws Exception {
        start("http_listener", "0");
        assertWellFormed(get("/metrics").body());
    }

    private static void assertWellFormed(String scrape) {
        for (String line : scrape.split("\n")) {
            assertThat(SAMPLE.matcher(line).matches() || COMMENT.matcher(line).matches())
                    .as("well-formed line: %s", line).isTrue();
        }
    }

    @Test
    void healthAndReadyAnswerOkWhileTheBrokerRuns() throws Exception {
        start("http_listener", "0");
        HttpResponse<String> health = get("/health");
        HttpResponse<String> ready = get("/ready");
        assertThat(health.statusCode()).isEqualTo(200);
        assertThat(health.body()).isEqualTo("ok\n");
        assertThat(ready.statusCode()).isEqualTo(200);
        assertThat(ready.body()).isEqualTo("ok\n");
    }

    @Test
    void readyAnswers503WithTheReasonWhenAnMqttListenerIsClosed() throws Exception {
        start();
        EmbeddedChannel closedListener = new EmbeddedChannel();
        closedListener.close();
        extraEndpoint = HttpEndpoint.start(new ListenerConfig(0, "127.0.0.1"), new HttpEndpoint.Services(broker,
                broker, new MemoryStore(), new Authenticator(true, null), Authorizer.load(null, new BrokerMetrics()),
                JsonbWriter.standard(), new BrokerMetrics().deliveryLatency),
                new Probes(List.of(closedListener), closedListener.eventLoop(), new MemoryStore()));
        HttpResponse<String> ready = get(extraEndpoint, "/ready");
        assertThat(ready.statusCode()).isEqualTo(503);
        assertThat(ready.body()).startsWith("MQTT listener").endsWith("is closed\n");
        assertThat(get(extraEndpoint, "/health").statusCode()).isEqualTo(200);
    }

    @Test
    void metricsNeedTheLoginOfThePasswordFileWhenAnonymousClientsAreRefused(@TempDir Path dir) throws Exception {
        Path passwords = dir.resolve("passwd");
        Process passwd = new ProcessBuilder("mosquitto_passwd", "-c", "-b", passwords.toString(), "prometheus",
                "s3cret").redirectErrorStream(true).start();
        assertThat(passwd.waitFor(10, java.util.concurrent.TimeUnit.SECONDS)).isTrue();
        start("http_listener", "0", "allow_anonymous", "false", "password_file", passwords.toString());

        HttpResponse<String> anonymous = get("/metrics");
        assertThat(anonymous.statusCode()).isEqualTo(401);
        assertThat(anonymous.headers().firstValue("WWW-Authenticate")).hasValueSatisfying(
                challenge -> assertThat(challenge).startsWith("Basic realm=\"WrenMQ\""));
        assertThat(getAs("/metrics", "prometheus", "wrong").statusCode()).isEqualTo(401);
        HttpResponse<String> loggedIn = getAs("/metrics", "prometheus", "s3cret");
        assertThat(loggedIn.statusCode()).isEqualTo(200);
        assertThat(loggedIn.body()).contains("wrenmq_clients_connected 0.0");
        assertThat(get("/health").statusCode()).as("probes need no login").isEqualTo(200);
        assertThat(get("/ready").statusCode()).isEqualTo(200);
    }

    @Test
    void unknownPathsAndMethodsAreRefused() throws Exception {
        start("http_listener", "0");
        assertThat(get("/nothing-here").statusCode()).isEqualTo(404);
        HttpResponse<String> post = http.send(HttpRequest.newBuilder(uri(broker.httpAddress().getPort(), "/metrics"))
                .POST(HttpRequest.BodyPublishers.ofString("x")).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(post.statusCode()).isEqualTo(405);
        assertThat(post.headers().firstValue("Allow")).hasValue("GET, HEAD");
    }

    @Test
    void theHttpListenerIsOffByDefaultAndOnLoopbackUnlessAnAddressIsGiven() {
        assertThat(start().httpAddress()).isNull();
        assertThat(BrokerConfig.builder().set("http_listener", "9100").build().httpListener())
                .isEqualTo(new ListenerConfig(9100, "127.0.0.1"));
        assertThat(BrokerConfig.builder().set("http_listener", "9100 0.0.0.0").build().httpListener())
                .isEqualTo(new ListenerConfig(9100, "0.0.0.0"));
    }

    private MqttClient connect(String clientId) throws Exception {
        MqttClient client = new MqttClient("tcp://127.0.0.1:" + broker.port(), clientId, new MemoryPersistence());
        MqttConnectOptions options = new MqttConnectOptions();
        options.setCleanSession(true);
        client.connect(options);
        return client;
    }

    private HttpResponse<String> get(String path) throws IOException, InterruptedException {
        return send(broker.httpAddress().getPort(), path);
    }

    private HttpResponse<String> getAs(String path, String user, String password)
            throws IOException, InterruptedException {
        String credentials = java.util.Base64.getEncoder().encodeToString(
                (user + ":" + password).getBytes(java.nio.charset.StandardCharsets.UTF_8));
        return http.send(HttpRequest.newBuilder(uri(broker.httpAddress().getPort(), path))
                .header("Authorization", "Basic " + credentials).build(), HttpResponse.BodyHandlers.ofString());
    }

    private HttpResponse<String> get(HttpEndpoint endpoint, String path) throws IOException, InterruptedException {
        return send(endpoint.address().getPort(), path);
    }

    private HttpResponse<String> send(int port, String path) throws IOException, InterruptedException {
        return http.send(HttpRequest.newBuilder(uri(port, path)).timeout(Duration.ofSeconds(10)).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    private static URI uri(int port, String path) {
        return URI.create("http://127.0.0.1:" + port + path);
    }

    /** Sample lines by series (name with labels) to value. */
    private static Map<String, Double> samples(String body) {
        Map<String, Double> out = new java.util.HashMap<>();
        Matcher m = Pattern.compile("(?m)^([a-zA-Z_:][^ ]*) (\\S+)$").matcher(body);
        while (m.find()) {
            out.put(m.group(1), Double.parseDouble(m.group(2)));
        }
        return out;
    }
}
