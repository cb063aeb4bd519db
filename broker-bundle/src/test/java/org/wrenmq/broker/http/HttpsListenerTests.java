package org.wrenmq.broker.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.wrenmq.broker.Broker;
import org.wrenmq.broker.BrokerConfig;
import org.wrenmq.broker.ConfigException;
import org.wrenmq.broker.testing.TestPki;
import org.wrenmq.broker.transport.Listening;

/**
 * {@code http_listener} with the {@code certfile}/{@code keyfile} lines that follow it: HTTPS, checked by the JDK's
 * HTTP client and by curl, each trusting the test CA.
 */
class HttpsListenerTests {
    @TempDir
    Path dir;
    private Broker broker;

    @AfterEach
    void stop() {
        if (broker != null) {
            broker.close();
        }
    }

    private Broker startFromFile(TestPki pki) throws IOException {
        Path[] server = pki.server("server", TestPki.KeyForm.PKCS8_EC);
        Path conf = Files.writeString(dir.resolve("wrenmq.conf"), String.join("\n",
                "listener 0 127.0.0.1", "allow_anonymous true", "persistence false",
                "http_listener 0", "certfile " + server[0], "keyfile " + server[1], ""));
        broker = Broker.builder().config(BrokerConfig.parse(conf)).build().start();
        return broker;
    }

    @Test
    void certfileAndKeyfileAfterHttpListenerServeHttpsAndLeaveTheMqttListenerPlain() throws Exception {
        TestPki pki = TestPki.create(dir);
        startFromFile(pki);
        assertThat(broker.config().httpListener().isTls()).isTrue();
        assertThat(broker.config().listeners().get(0).isTls()).as("the MQTT listener before it").isFalse();

        HttpClient https = HttpClient.newBuilder().sslContext(Listening.ssl(pki.caCert()))
                .connectTimeout(Duration.ofSeconds(5)).build();
        HttpResponse<String> health = https.send(HttpRequest.newBuilder(url("https", "/health")).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(health.statusCode()).isEqualTo(200);
        assertThat(health.body()).isEqualTo("ok\n");
        HttpResponse<String> console = https.send(HttpRequest.newBuilder(url("https", "/")).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(console.body()).contains("<title>WrenMQ console</title>");
    }

    @Test
    void curlReadsTheMetricsOverHttpsWithTheCaAndRefusesWithoutIt() throws Exception {
        TestPki pki = TestPki.create(dir);
        startFromFile(pki);
        Process trusted = new ProcessBuilder("curl", "-sS", "--cacert", pki.caCert().toString(),
                url("https", "/metrics").toString()).redirectErrorStream(true).start();
        String out = new String(trusted.getInputStream().readAllBytes());
        assertThat(trusted.waitFor(30, TimeUnit.SECONDS)).isTrue();
        assertThat(trusted.exitValue()).as(out).isZero();
        assertThat(out).contains("wrenmq_clients_connected 0");

        Process untrusted = new ProcessBuilder("curl", "-sS", url("https", "/metrics").toString())
                .redirectErrorStream(true).start();
        String refused = new String(untrusted.getInputStream().readAllBytes());
        assertThat(untrusted.waitFor(30, TimeUnit.SECONDS)).isTrue();
        assertThat(untrusted.exitValue()).as("curl without the CA: certificate problem").isEqualTo(60);
        assertThat(refused).contains("certificate");
    }

    @Test
    void plainHttpToTheHttpsPortGetsNoPage() throws Exception {
        startFromFile(TestPki.create(dir));
        HttpClient plain = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
        assertThatThrownBy(() -> plain.send(HttpRequest.newBuilder(url("http", "/health"))
                .timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofString()))
                .isInstanceOf(IOException.class);
    }

    @Test
    void aNonTlsListenerSettingAfterHttpListenerIsAnErrorNamingTheLine() throws Exception {
        Path conf = Files.writeString(dir.resolve("wrenmq.conf"), "http_listener 9100\nprotocol websockets\n");
        assertThatThrownBy(() -> BrokerConfig.parse(conf)).isInstanceOf(ConfigException.class)
                .hasMessage(conf + ":2: protocol does not apply to http_listener (only its TLS settings do); put it "
                        + "after a listener line");
    }

    @Test
    void certfileWithoutKeyfileAfterHttpListenerIsAnError() throws Exception {
        Path conf = Files.writeString(dir.resolve("wrenmq.conf"), "http_listener 9100\ncertfile /x.crt\n");
        assertThatThrownBy(() -> BrokerConfig.parse(conf)).isInstanceOf(ConfigException.class)
                .hasMessage(conf + ":1: http_listener 9100: TLS needs both certfile and keyfile (or a keystore)");
    }

    @Test
    void inAMapOfSettingsCertfileAndKeyfileStayWithTheMqttListener() {
        java.util.Map<String, Object> karafStyle = new java.util.LinkedHashMap<>();
        karafStyle.put("http_listener", "9100");
        karafStyle.put("certfile", "/etc/wrenmq/server.crt");
        karafStyle.put("keyfile", "/etc/wrenmq/server.key");
        BrokerConfig config = BrokerConfig.fromMap(karafStyle);
        assertThat(config.httpListener().isTls()).as("a map has no order: nothing follows http_listener").isFalse();
        assertThat(config.listeners().get(0).isTls()).isTrue();
    }

    @Test
    void inAMapOfSettingsHttpListenerDotCertfileAndKeyfileServeHttpsBehindThePasswordFile() throws Exception {
        TestPki pki = TestPki.create(dir);
        Path[] server = pki.server("server", TestPki.KeyForm.PKCS8_EC);
        Path passwords = org.wrenmq.broker.testing.SecurityFiles.passwords(dir.resolve("passwd"),
                java.util.Map.of("prometheus", "scrape-pw"));
        java.util.Map<String, Object> karafStyle = new java.util.HashMap<>();
        karafStyle.put("listener.mqtt.port", "0");
        karafStyle.put("listener.mqtt.bind_address", "127.0.0.1");
        karafStyle.put("persistence", "false");
        karafStyle.put("password_file", passwords.toString());
        karafStyle.put("http_listener", "0");
        karafStyle.put("http_listener.certfile", server[0].toString());
        karafStyle.put("http_listener.keyfile", server[1].toString());
        karafStyle.put("http_listener.tls_version", "tlsv1.3");
        broker = Broker.builder().config(BrokerConfig.fromMap(karafStyle)).build().start();
        assertThat(broker.config().listeners()).allSatisfy(l -> assertThat(l.isTls()).isFalse());

        HttpClient https = HttpClient.newBuilder().sslContext(Listening.ssl(pki.caCert()))
                .connectTimeout(Duration.ofSeconds(5)).build();
        HttpResponse<String> anonymous = https.send(HttpRequest.newBuilder(url("https", "/metrics")).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(anonymous.statusCode()).isEqualTo(401);
        HttpResponse<String> scrape = https.send(HttpRequest.newBuilder(url("https", "/metrics"))
                .header("Authorization", "Basic " + java.util.Base64.getEncoder().encodeToString(
                        "prometheus:scrape-pw".getBytes(java.nio.charset.StandardCharsets.UTF_8))).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(scrape.statusCode()).isEqualTo(200);
        assertThat(scrape.body()).contains("wrenmq_clients_connected 0");
        assertThat(scrape.sslSession()).hasValueSatisfying(
                session -> assertThat(session.getProtocol()).isEqualTo("TLSv1.3"));
    }

    @Test
    void httpListenerDotKeysAreCheckedAsTheLinesAfterHttpListener() {
        assertThatThrownBy(() -> BrokerConfig.fromMap(java.util.Map.of("http_listener.certfile", "/x.crt")))
                .isInstanceOf(ConfigException.class)
                .hasMessage("http_listener.certfile needs http_listener (PORT [ADDRESS])");
        assertThatThrownBy(() -> BrokerConfig.fromMap(java.util.Map.of("http_listener", "9100",
                "http_listener.certfile", "/x.crt")))
                .isInstanceOf(ConfigException.class)
                .hasMessage("http_listener 9100: TLS needs both certfile and keyfile (or a keystore)");
        assertThatThrownBy(() -> BrokerConfig.fromMap(java.util.Map.of("http_listener", "9100",
                "http_listener.protocol", "websockets")))
                .isInstanceOf(ConfigException.class)
                .hasMessage("http_listener.protocol: protocol does not apply to http_listener (only its TLS settings "
                        + "do); put it after a listener line");
        assertThatThrownBy(() -> BrokerConfig.fromMap(java.util.Map.of("http_listener", "9100",
                "http_listener.certfle", "/x.crt")))
                .isInstanceOf(ConfigException.class).hasMessage("unknown setting 'http_listener.certfle'");
        assertThatThrownBy(() -> BrokerConfig.fromMap(java.util.Map.of("http_listener", "9100",
                "http_listener.tls_version", "tlsv1")))
                .isInstanceOf(ConfigException.class).hasMessageStartingWith("http_listener.tls_version: tls_version");
    }

    private URI url(String scheme, String path) {
        return URI.create(scheme + "://127.0.0.1:" + broker.httpAddress().getPort() + path);
    }
}
