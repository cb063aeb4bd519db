package org.wrenmq.it.clients;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.KeyStore;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.TrustManagerFactory;

import org.eclipse.paho.client.mqttv3.MqttClient;
import org.eclipse.paho.client.mqttv3.MqttConnectOptions;
import org.eclipse.paho.client.mqttv3.persist.MemoryPersistence;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.wrenmq.broker.testing.TestPki;
import org.wrenmq.it.support.ClientProcess;

/**
 * A mosquitto.conf with five listeners (plain, TLS, mutual TLS, WebSockets, secure WebSockets) run by
 * {@code ./wrenmq}, used through mosquitto_pub/mosquitto_sub and Eclipse Paho; {@code kill -HUP} rotates the
 * server certificate.
 */
@DisplayName("five listeners from one mosquitto.conf through ./wrenmq")
class FiveListenersIT {
    @TempDir
    Path dir;
    @RegisterExtension
    final Launched launched = new Launched();
    private TestPki pki;
    private Path[] device;
    private int plain;
    private int tls;
    private int mtls;
    private int ws;
    private int wss;
    private ClientProcess broker;

    @BeforeEach
    void startBroker() throws Exception {
        pki = TestPki.create(dir);
        Path[] server = pki.server("server", TestPki.KeyForm.PKCS1_RSA);
        Path cert = Files.copy(server[0], dir.resolve("live.crt"));
        Path key = Files.copy(server[1], dir.resolve("live.key"));
        device = pki.client("device-7");
        int[] ports = Launched.freePorts(5);
        plain = ports[0];
        tls = ports[1];
        mtls = ports[2];
        ws = ports[3];
        wss = ports[4];
        String serverFiles = "certfile " + cert + "\nkeyfile " + key + "\n";
        Path conf = Files.writeString(dir.resolve("mosquitto.conf"), String.join("\n",
                "# the listeners of a typical mosquitto deployment",
                "per_listener_settings false",
                "allow_anonymous true",
                "persistence false",
                "",
                "listener " + plain + " 127.0.0.1",
                "",
                "listener " + tls + " 127.0.0.1",
                serverFiles,
                "listener " + mtls + " 127.0.0.1",
                "cafile " + pki.caCert(),
                serverFiles + "require_certificate true",
                "use_identity_as_username true",
                "",
                "listener " + ws + " 127.0.0.1",
                "protocol websockets",
                "",
                "listener " + wss + " 127.0.0.1",
                "protocol websockets",
                serverFiles));
        broker = Launched.awaitListening(launched.wrenmq(dir, "-c", conf.toString()));
    }


    @Test
    @DisplayName("mosquitto clients: plain, TLS with --cafile, mutual TLS with --cert/--key; refused without them")
    void mosquittoClients() throws Exception {
        ClientProcess sub = launched.track(ClientProcess.start(dir, List.of("mosquitto_sub", "-h", "127.0.0.1",
                "-p", String.valueOf(mtls), "--cafile", pki.caCert().toString(), "--cert", device[0].toString(),
                "--key", device[1].toString(), "-t", "five/#", "-v")));
        // subscribed once a probe published on the plain listener comes out
        await().atMost(ClientProcess.PATIENCE).until(() -> {
            run("mosquitto_pub", "-h", "127.0.0.1", "-p", String.valueOf(plain), "-t", "five/ready", "-m", "?")
                    .awaitExit();
            return sub.output().contains("five/ready");
        });
        run("mosquitto_pub", "-h", "127.0.0.1", "-p", String.valueOf(plain), "-q", "1", "-t", "five/plain",
                "-m", "from plain").awaitSuccess();
        run("mosquitto_pub", "-h", "127.0.0.1", "-p", String.valueOf(tls), "--cafile", pki.caCert().toString(),
                "-q", "1", "-t", "five/tls", "-m", "from tls").awaitSuccess();

        await().atMost(ClientProcess.PATIENCE).untilAsserted(() ->
                assertThat(sub.output().lines()).contains("five/plain from plain", "five/tls from tls"));
        assertThat(run("mosquitto_pub", "-h", "127.0.0.1", "-p", String.valueOf(mtls), "--cafile",
                pki.caCert().toString(), "-t", "five/no-cert", "-m", "refused").awaitExit())
                .as("mutual TLS without a client certificate").isNotZero();
        assertThat(run("mosquitto_pub", "-h", "127.0.0.1", "-p", String.valueOf(tls), "-t", "five/plain-to-tls",
                "-m", "refused").awaitExit()).as("plain MQTT to the TLS port").isNotZero();
    }

    @Test
    @DisplayName("Paho over ws:// and wss:// reaches subscribers on the other listeners")
    void pahoOverWebSockets() throws Exception {
        BlockingQueue<String> received = new LinkedBlockingQueue<>();
        MqttClient subscriber = client("ws://127.0.0.1:" + ws + "/mqtt", "ws-sub", null);
        subscriber.subscribe("five/web/#", 1, (topic, m) -> received.add(new String(m.getPayload(), StandardCharsets.UTF_8)));
        MqttClient publisher = client("wss://127.0.0.1:" + wss + "/mqtt", "wss-pub", trustingCa());
        publisher.publish("five/web/secure", "over wss".getBytes(StandardCharsets.UTF_8), 1, false);
        assertThat(received.poll(10, TimeUnit.SECONDS)).isEqualTo("over wss");
        publisher.disconnect();
        subscriber.disconnect();
        publisher.close();
        subscriber.close();
    }

    @Test
    @DisplayName("kill -HUP: new connections get the rotated certificate; a connected subscriber stays connected")
    void sighupRotatesCertificate() throws Exception {
        BlockingQueue<String> received = new LinkedBlockingQueue<>();
        MqttClient stays = client("ssl://127.0.0.1:" + tls, "stays", trustingCa());
        stays.subscribe("five/hup", 1, (topic, m) -> received.add(new String(m.getPayload(), StandardCharsets.UTF_8)));
        BigInteger before = serialOf(tls);

        Path[] rotated = pki.server("rotated", TestPki.KeyForm.PKCS8_EC);
        Files.copy(rotated[0], dir.resolve("live.crt"), StandardCopyOption.REPLACE_EXISTING);
        Files.copy(rotated[1], dir.resolve("live.key"), StandardCopyOption.REPLACE_EXISTING);
        run("kill", "-HUP", String.valueOf(broker.pid())).awaitSuccess();

        BigInteger expected = certificate(rotated[0]).getSerialNumber();
        await().atMost(Duration.ofSeconds(10)).until(() -> serialOf(tls).equals(expected));
        assertThat(expected).isNotEqualTo(before);
        run("mosquitto_pub", "-h", "127.0.0.1", "-p", String.valueOf(tls), "--cafile", pki.caCert().toString(),
                "-q", "1", "-t", "five/hup", "-m", "after reload").awaitSuccess();
        assertThat(received.poll(10, TimeUnit.SECONDS)).isEqualTo("after reload");
        assertThat(stays.isConnected()).isTrue();
        stays.disconnect();
        stays.close();
    }

    private MqttClient client(String uri, String id, SSLContext ssl) throws Exception {
        MqttClient client = new MqttClient(uri, id, new MemoryPersistence());
        MqttConnectOptions options = new MqttConnectOptions();
        options.setAutomaticReconnect(false);
        options.setConnectionTimeout(10);
        if (ssl != null) {
            options.setSocketFactory(ssl.getSocketFactory());
        }
        client.connect(options);
        return client;
    }

    private SSLContext trustingCa() throws Exception {
        KeyStore trust = KeyStore.getInstance("PKCS12");
        trust.load(null, null);
        trust.setCertificateEntry("ca", certificate(pki.caCert()));
        TrustManagerFactory tmf = TrustManagerFactory.getInstance("PKIX");
        tmf.init(trust);
        SSLContext context = SSLContext.getInstance("TLS");
        context.init(null, tmf.getTrustManagers(), null);
        return context;
    }

    private BigInteger serialOf(int port) throws Exception {
        try (SSLSocket socket = (SSLSocket) trustingCa().getSocketFactory().createSocket("127.0.0.1", port)) {
            socket.startHandshake();
            return ((X509Certificate) socket.getSession().getPeerCertificates()[0]).getSerialNumber();
        }
    }

    private static X509Certificate certificate(Path pem) throws Exception {
        try (var in = Files.newInputStream(pem)) {
            return (X509Certificate) CertificateFactory.getInstance("X.509").generateCertificate(in);
        }
    }

    private ClientProcess run(String... command) {
        return launched.run(dir, command);
    }

}
