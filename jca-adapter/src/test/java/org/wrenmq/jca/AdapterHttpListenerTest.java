package org.wrenmq.jca;

import static org.assertj.core.api.Assertions.assertThat;

import java.lang.management.ManagementFactory;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Base64;
import java.util.Map;
import javax.management.ObjectName;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.wrenmq.broker.testing.SecurityFiles;
import org.wrenmq.broker.testing.TestPki;
import org.wrenmq.broker.transport.Listening;
import org.wrenmq.broker.testing.FreePorts;

/**
 * The adapter's {@code httpListener}, {@code httpListenerCertfile} and {@code httpListenerKeyfile} mean what
 * {@code http_listener} and the {@code certfile}/{@code keyfile} lines after it mean in wrenmq.conf: HTTPS, with
 * {@code /metrics} behind HTTP basic authentication against the adapter's {@code passwordFile}; and
 * {@code jmxRegistration=false} keeps the broker out of the platform MBean server.
 */
class AdapterHttpListenerTest {
    @TempDir
    Path dir;

    private final WrenResourceAdapter adapter = new WrenResourceAdapter();
    private final int mqttPort = FreePorts.loopback();
    private final int httpPort = FreePorts.loopback();

    @AfterEach
    void stopAdapter() {
        adapter.stop();
    }

    @Test
    void httpsWithTheCertfileAndKeyfileAndBasicAuthenticationAgainstThePasswordFile() throws Exception {
        TestPki pki = TestPki.create(dir);
        Path[] server = pki.server("server", TestPki.KeyForm.PKCS8_EC);
        adapter.setPort(mqttPort);
        adapter.setPersistence(false);
        adapter.setPasswordFile(SecurityFiles.passwords(dir.resolve("passwd"), Map.of("prometheus", "scrape-pw"))
                .toString());
        adapter.setHttpListener(String.valueOf(httpPort));
        adapter.setHttpListenerCertfile(server[0].toString());
        adapter.setHttpListenerKeyfile(server[1].toString());
        adapter.start(null);

        HttpClient https = HttpClient.newBuilder().sslContext(Listening.ssl(pki.caCert()))
                .connectTimeout(Duration.ofSeconds(5)).build();
        URI metrics = URI.create("https://127.0.0.1:" + httpPort + "/metrics");
        assertThat(https.send(HttpRequest.newBuilder(metrics).build(), HttpResponse.BodyHandlers.ofString())
                .statusCode()).as("without a login").isEqualTo(401);
        HttpResponse<String> scrape = https.send(HttpRequest.newBuilder(metrics).header("Authorization", "Basic "
                + Base64.getEncoder().encodeToString("prometheus:scrape-pw".getBytes(StandardCharsets.UTF_8)))
                .build(), HttpResponse.BodyHandlers.ofString());
        assertThat(scrape.statusCode()).isEqualTo(200);
        assertThat(scrape.body()).contains("wrenmq_clients_connected 0");
    }

    @Test
    void jmxRegistrationFalseLeavesThePlatformMBeanServerAlone() throws Exception {
        adapter.setPort(mqttPort);
        adapter.setPersistence(false);
        adapter.setJmxRegistration(false);
        adapter.start(null);

        assertThat(ManagementFactory.getPlatformMBeanServer().queryNames(new ObjectName(
                "org.wrenmq:type=Broker,listener=\"127.0.0.1:" + mqttPort + "\""), null)).isEmpty();
    }

}
