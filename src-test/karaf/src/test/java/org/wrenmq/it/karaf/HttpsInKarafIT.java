package org.wrenmq.it.karaf;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.wrenmq.it.support.ClientProcess;
import org.wrenmq.it.support.Ports;

/**
 * {@code http_listener} with {@code http_listener.certfile} and {@code http_listener.keyfile} in a real Apache
 * Karaf's {@code etc/org.wrenmq.broker.cfg}: HTTPS, and {@code /metrics} behind HTTP basic authentication against
 * the broker's {@code password_file}, read with curl as an operator (or Prometheus) would.
 */
class HttpsInKarafIT {
    private static final Duration BOOT_TIMEOUT = Duration.ofMinutes(3);

    private KarafInstance karaf;

    @Test
    void metricsOverHttpsWithTheCertfileAndKeyfileOfTheCfgFileAndAPasswordFileLogin() throws Exception {
        Path work = Path.of(System.getProperty("wrenmq.karaf.work", "target/karaf-run")).resolveSibling("karaf-https");
        Path localRepository = Path.of(System.getProperty("maven.local.repository"));
        String version = System.getProperty("wrenmq.version");
        karaf = KarafInstance.unpack(Path.of(System.getProperty("wrenmq.karaf.tarball")), work, Ports.free());
        karaf.prepare(localRepository, Ports.free(), Ports.free());
        karaf.bootFeature("mvn:org.wrenmq/features/" + version + "/xml/features", "wrenmq");
        Path etc = karaf.etc("");
        ClientProcess.start(etc, "openssl", "req", "-x509", "-newkey", "ec", "-pkeyopt",
                "ec_paramgen_curve:prime256v1", "-nodes", "-keyout", "wrenmq-http.key", "-out", "wrenmq-http.crt",
                "-subj", "/CN=127.0.0.1", "-days", "2").awaitSuccess();
        ClientProcess.start(etc, "mosquitto_passwd", "-c", "-b", "wrenmq.passwd", "prometheus", "scrape-pw")
                .awaitSuccess();
        int port = Ports.free();
        int httpPort = Ports.free();
        karaf.writeBrokerConfig(localRepository, version, port);
        Path config = karaf.etc("org.wrenmq.broker.cfg");
        Files.writeString(config, Files.readString(config).replace("allow_anonymous = true", "allow_anonymous = false")
                + String.join("\n", "", "password_file = " + etc.resolve("wrenmq.passwd"),
                        "http_listener = " + httpPort,
                        "http_listener.certfile = " + etc.resolve("wrenmq-http.crt"),
                        "http_listener.keyfile = " + etc.resolve("wrenmq-http.key"), ""));

        karaf.start(work.resolve("karaf-console.log"));
        await().atMost(BOOT_TIMEOUT).pollInterval(Duration.ofMillis(500))
                .until(() -> Ports.listening(httpPort) || !karaf.isRunning());
        assertThat(karaf.isRunning()).as("Karaf is running; see " + work).isTrue();

        String url = "https://127.0.0.1:" + httpPort + "/metrics";
        assertThat(curl(work, "-k", "-o", "/dev/null", "-w", "%{http_code}", url)).as("without a login")
                .isEqualTo("401");
        assertThat(curl(work, "-k", "-u", "prometheus:scrape-pw", url)).contains("wrenmq_clients_connected 0");
        assertThat(curl(work, "-k", "-o", "/dev/null", "-w", "%{http_code}", "https://127.0.0.1:" + httpPort
                + "/ready")).as("/ready needs no login").isEqualTo("200");
    }

    private static String curl(Path dir, String... args) {
        List<String> command = new java.util.ArrayList<>(List.of("curl", "-sS", "--max-time", "20"));
        command.addAll(List.of(args));
        return ClientProcess.start(dir, command).awaitSuccess().strip();
    }

    @AfterEach
    void stopKaraf() throws Exception {
        if (karaf != null) {
            karaf.close();
        }
    }
}
