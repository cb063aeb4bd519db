package org.wrenmq.it.appserver.scripted;

import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * The test application's probe servlet ({@code probe.ProbeServlet}) seen from the test: makes the EJB publish,
 * reads what the message-driven beans recorded. A failure inside the server comes back as its stack trace.
 */
public final class Probe {

    /** A message an MDB recorded: the probe's line {@code topic TAB payload TAB content type TAB properties}. */
    record Received(String topic, String payload, String contentType, String userProperties) {
        static Received parse(String line) {
            String[] fields = line.split("\t", -1);
            return new Received(fields[0], fields[1], fields[2], fields[3]);
        }
    }

    // HTTP/1.1: with the default HTTP/2 upgrade (h2c), Liberty 26.0.0.3 cut long probe answers short
    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(10)).build();
    private final String base;

    public Probe(int httpPort, String contextRoot) {
        this.base = "http://127.0.0.1:" + httpPort + "/" + contextRoot + "/probe/";
    }

    public void publish(String topic, String text) {
        get("publish", "topic", topic, "text", text);
    }

    void publishAndRollBack(String topic, String text) {
        get("publish-and-roll-back", "topic", topic, "text", text);
    }

    void publishJson(String topic, String name, int x, int y) {
        get("publish-json", "topic", topic, "name", name, "x", Integer.toString(x), "y", Integer.toString(y));
    }

    void publishMany(String topicPrefix, int count) {
        get("publish-many", "topic", topicPrefix, "count", Integer.toString(count));
    }

    /** Through the CDI bean's {@code @Inject MqttPublisher}, in a {@code @Transactional} method. */
    void cdiPublish(String topic, String text) {
        get("cdi/publish", "topic", topic, "text", text);
    }

    /** A {@code @Transactional} method that publishes, then throws; returns what the server answered (HTTP 500). */
    String cdiPublishThenFail(String topic, String text) {
        return failure("cdi/publish-then-fail", "topic", topic, "text", text);
    }

    /** One message per topic, in one transaction, each topic as its own payload. */
    void cdiPublishAll(String... topics) {
        get("cdi/publish-all", Arrays.stream(topics).flatMap(t -> Stream.of("topic", t))
                .toArray(String[]::new));
    }

    void cdiPublishJson(String topic, String sensorName, double celsius) {
        get("cdi/publish-json", "topic", topic, "name", sensorName, "celsius", Double.toString(celsius));
    }

    /** Through {@code @MqttFactory(factory)}, without a transaction: answers once the broker accepted it. */
    void cdiPublishThrough(String factory, String topic, String text) {
        get("cdi/publish-through", "factory", factory, "topic", topic, "text", text);
    }

    /** The same, expected to fail: returns the server's exception. */
    String cdiPublishThroughFails(String factory, String topic, String text) {
        return failure("cdi/publish-through", "factory", factory, "topic", topic, "text", text);
    }

    List<Received> received(String topicPrefix) {
        return get("received", "prefix", topicPrefix).lines().map(Received::parse).toList();
    }

    public List<String> payloads(String topicPrefix) {
        return received(topicPrefix).stream().map(Received::payload).toList();
    }

    int attempts(String payload) {
        return Integer.parseInt(get("attempts", "payload", payload).strip());
    }

    List<String> objects() {
        return get("objects").lines().toList();
    }

    int mostRunningAtOnce() {
        return Integer.parseInt(get("most-running").strip());
    }

    /** Answers whether the application is up: a GET that any HTTP status answers. */
    public boolean reachable() {
        try {
            http.send(HttpRequest.newBuilder(URI.create(base + "objects")).build(),
                    HttpResponse.BodyHandlers.discarding());
            return true;
        } catch (IOException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    private String get(String path, String... nameValues) {
        return answer(path, 200, nameValues);
    }

    /** A probe that must fail inside the server: its stack trace. */
    private String failure(String path, String... nameValues) {
        return answer(path, 500, nameValues);
    }

    private String answer(String path, int expectedStatus, String... nameValues) {
        String query = Arrays.stream(nameValues).map(v -> URLEncoder.encode(v, StandardCharsets.UTF_8))
                .collect(Collectors.collectingAndThen(Collectors.toList(), Probe::pairs));
        URI uri = URI.create(base + path + (query.isEmpty() ? "" : "?" + query));
        try {
            HttpResponse<String> response = http.send(HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(90))
                    .build(), HttpResponse.BodyHandlers.ofString());
            if (response.statusCode() != expectedStatus) {
                throw new AssertionError("GET " + uri + ": HTTP " + response.statusCode() + "\n" + response.body());
            }
            return response.body();
        } catch (IOException e) {
            throw new AssertionError("GET " + uri, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }

    private static String pairs(List<String> encoded) {
        StringBuilder query = new StringBuilder();
        for (int i = 0; i + 1 < encoded.size(); i += 2) {
            query.append(i == 0 ? "" : "&").append(encoded.get(i)).append('=').append(encoded.get(i + 1));
        }
        return query.toString();
    }
}
