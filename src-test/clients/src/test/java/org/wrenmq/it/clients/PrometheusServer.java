package org.wrenmq.it.clients;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import jakarta.json.Json;
import jakarta.json.JsonArray;
import jakarta.json.JsonObject;
import jakarta.json.JsonReader;
import java.io.IOException;
import java.io.StringReader;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.wrenmq.it.support.ClientProcess;
import org.wrenmq.it.support.Ports;

/**
 * A real Prometheus server (Debian package {@code prometheus}) of the test's own: on a free port of 127.0.0.1,
 * with its storage in the test's folder, scraping its targets every second; asked through its HTTP API
 * ({@code /api/v1/query}), as a dashboard or an alert rule would ask.
 */
final class PrometheusServer {
    /** Where Debian installs the server and its tool. */
    static final String PROGRAM = "/usr/bin/prometheus";
    static final String PROMTOOL = "/usr/bin/promtool";

    private final int port;
    private final HttpClient http = HttpClient.newHttpClient();

    private PrometheusServer(int port) {
        this.port = port;
    }

    /**
     * Starts Prometheus with one job, {@code wrenmq}, scraping {@code /metrics} of these {@code host:port} targets
     * each second; {@code scrapeSettings} are more lines of the job (e.g. {@code basic_auth}), indented as YAML.
     */
    static PrometheusServer start(Launched launched, Path dir, List<String> targets, String... scrapeSettings)
            throws IOException {
        int port = Ports.free();
        List<String> config = new ArrayList<>(List.of(
                "global:",
                "  scrape_interval: 1s",
                "  scrape_timeout: 1s",
                "scrape_configs:",
                "  - job_name: wrenmq"));
        for (String setting : scrapeSettings) {
            config.add("    " + setting);
        }
        config.add("    static_configs:");
        config.add("      - targets: [" + String.join(", ", targets.stream().map(t -> "'" + t + "'").toList()) + "]");
        Path file = Files.write(dir.resolve("prometheus.yml"), config);
        ClientProcess server = launched.run(dir, PROGRAM, "--config.file=" + file,
                "--storage.tsdb.path=" + dir.resolve("prometheus-data"),
                "--web.listen-address=127.0.0.1:" + port);
        PrometheusServer prometheus = new PrometheusServer(port);
        await("Prometheus ready on " + port).atMost(ClientProcess.PATIENCE).pollInterval(Duration.ofMillis(200))
                .until(() -> {
                    assertThat(server.isAlive()).as("prometheus running; output:%n%s", server.output()).isTrue();
                    return Ports.listening(port) && prometheus.get("/-/ready").statusCode() == 200;
                });
        return prometheus;
    }

    /**
     * The instant vector of a PromQL query, each series' labels (without {@code __name__}) rendered as
     * {@code {a="1",b="2"}}, to its value.
     */
    Map<String, Double> query(String promql) {
        HttpResponse<String> response = get("/api/v1/query?query=" + URLEncoder.encode(promql, StandardCharsets.UTF_8));
        assertThat(response.statusCode()).as("query %s: %s", promql, response.body()).isEqualTo(200);
        try (JsonReader reader = Json.createReader(new StringReader(response.body()))) {
            JsonObject data = reader.readObject().getJsonObject("data");
            Map<String, Double> series = new LinkedHashMap<>();
            JsonArray result = data.getJsonArray("result");
            for (JsonObject sample : result.getValuesAs(JsonObject.class)) {
                List<String> labels = new ArrayList<>();
                sample.getJsonObject("metric").forEach((name, value) -> {
                    if (!name.equals("__name__")) {
                        labels.add(name + "=" + value);
                    }
                });
                series.put("{" + String.join(",", labels) + "}",
                        Double.parseDouble(sample.getJsonArray("value").getString(1)));
            }
            return series;
        }
    }

    /** The value of a query that yields one series; NaN while it yields none. */
    double value(String promql) {
        Map<String, Double> series = query(promql);
        assertThat(series.size()).as("series of %s: %s", promql, series).isLessThanOrEqualTo(1);
        return series.isEmpty() ? Double.NaN : series.values().iterator().next();
    }

    private HttpResponse<String> get(String pathAndQuery) {
        try {
            return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + pathAndQuery))
                    .timeout(ClientProcess.PATIENCE).build(), HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }
}
