package org.wrenmq.broker.transport;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import java.io.InputStream;
import java.io.OutputStream;
import java.math.BigInteger;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.cert.X509Certificate;
import java.time.Duration;
import javax.net.ssl.SSLException;
import javax.net.ssl.SSLSocket;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.wrenmq.broker.Broker;
import org.wrenmq.broker.BrokerStartException;
import org.wrenmq.broker.testing.TestPki;
import org.wrenmq.broker.testing.TestPki.KeyForm;

@DisplayName("TLS listeners (certfile, keyfile, tls_version, tls_handshake_timeout, reload)")
class TlsListenerTests {
    /** An MQTT 3.1.1 CONNECT, client id "tls", clean session, keepalive 60 s. */
    static final byte[] CONNECT = {0x10, 0x0F, 0, 4, 'M', 'Q', 'T', 'T', 4, 2, 0, 60, 0, 3, 't', 'l', 's'};
    static final byte[] CONNACK_ACCEPTED = {0x20, 2, 0, 0};

    @RegisterExtension
    final Listening listening = new Listening();
    @TempDir
    Path dir;
    TestPki pki;

    @BeforeEach
    void makeCertificates() {
        pki = TestPki.create(dir);
    }

    private Broker tlsBroker(KeyForm form, String extra) {
        Path[] server = pki.server("server", form);
        return listening.start(dir, "allow_anonymous true\nlistener 0 127.0.0.1\ncertfile " + server[0]
                + "\nkeyfile " + server[1] + "\n" + extra);
    }

    @Test
    @DisplayName("Paho over ssl:// with the CA's certificate publishes and receives")
    void pahoOverSsl() throws Exception {
        Broker broker = tlsBroker(KeyForm.PKCS8_RSA, "");
        try (Paho client = new Paho("ssl://127.0.0.1:" + broker.port(), "paho-ssl").connect(Listening.ssl(pki.caCert()))) {
            assertThat(client.roundTrip("tls/paho", "over TLS")).isEqualTo("over TLS");
        }
    }

    @ParameterizedTest
    @EnumSource(KeyForm.class)
    @DisplayName("keyfile takes the key forms openssl writes: PKCS#8, PKCS#1 RSA, SEC1 EC")
    void keyForms(KeyForm form) throws Exception {
        Broker broker = tlsBroker(form, "");
        try (SSLSocket socket = tlsSocket(broker.port(), "TLS")) {
            assertThat(mqttConnect(socket)).containsExactly(CONNACK_ACCEPTED);
        }
    }

    @Test
    @DisplayName("keystore: a PKCS#12 keystore with keystore_password instead of PEM files (Karaf's habit)")
    void keystore() throws Exception {
        Path p12 = pki.keystore(pki.server("server", KeyForm.PKCS8_RSA), "changeit");
        Broker broker = listening.start(dir, "allow_anonymous true\nlistener 0 127.0.0.1\nkeystore " + p12
                + "\nkeystore_password changeit\n");
        try (SSLSocket socket = tlsSocket(broker.port(), "TLS")) {
            assertThat(mqttConnect(socket)).containsExactly(CONNACK_ACCEPTED);
        }
    }

    @Test
    @DisplayName("TLS 1.2 and 1.3 are both accepted by default; tls_version tlsv1.3 refuses 1.2")
    void tlsVersions() throws Exception {
        Broker both = tlsBroker(KeyForm.PKCS8_EC, "");
        for (String version : new String[] {"TLSv1.2", "TLSv1.3"}) {
            try (SSLSocket socket = tlsSocket(both.port(), version)) {
                assertThat(mqttConnect(socket)).containsExactly(CONNACK_ACCEPTED);
                assertThat(socket.getSession().getProtocol()).isEqualTo(version);
            }
        }
        both.close();
        Broker only13 = tlsBroker(KeyForm.PKCS8_EC, "tls_version tlsv1.3\n");
        assertThatThrownBy(() -> {
            try (SSLSocket socket = tlsSocket(only13.port(), "TLSv1.2")) {
                mqttConnect(socket);
            }
        }).isInstanceOf(SSLException.class);
    }

    @Test
    @DisplayName("a handshake not finished within tls_handshake_timeout is closed and counted")
    void handshakeTimeout() throws Exception {
        Broker broker = tlsBroker(KeyForm.PKCS8_EC, "tls_handshake_timeout 1\n");
        try (Socket silent = new Socket("127.0.0.1", broker.port())) {
            silent.setSoTimeout(10_000);
            assertThat(silent.getInputStream().read()).as("closed by the broker").isEqualTo(-1);
        }
        await().untilAsserted(() ->
                assertThat(broker.counters()).containsEntry("tls.handshakes.timed_out", 1L));
    }

    @Test
    @DisplayName("plain MQTT sent to a TLS port: that connection is closed (counted as a failed handshake)")
    void plainMqttToTlsPort() throws Exception {
        Broker broker = tlsBroker(KeyForm.PKCS8_EC, "");
        try (Socket plain = new Socket("127.0.0.1", broker.port())) {
            plain.setSoTimeout(10_000);
            plain.getOutputStream().write(CONNECT);
            InputStream in = plain.getInputStream();
            // the broker may send a TLS alert before closing; no CONNACK ever comes
            byte[] all = in.readAllBytes();
            assertThat(new String(all, StandardCharsets.ISO_8859_1))
                    .doesNotContain(new String(CONNACK_ACCEPTED, StandardCharsets.ISO_8859_1));
        }
        await().untilAsserted(() -> assertThat(broker.counters()).containsEntry("tls.handshakes.failed", 1L));
    }

    @Test
    @DisplayName("TLS sent to a plain port: the handshake fails and the connection is closed")
    void tlsToPlainPort() throws Exception {
        Broker broker = listening.start(dir, "allow_anonymous true\nlistener 0 127.0.0.1\n");
        assertThatThrownBy(() -> {
            try (SSLSocket socket = tlsSocket(broker.port(), "TLS")) {
                mqttConnect(socket);
            }
        }).isInstanceOf(java.io.IOException.class);
        await().untilAsserted(() ->
                assertThat(broker.counters()).containsEntry("connections.closed.protocol_error", 1L));
    }

    @Test
    @DisplayName("an encrypted keyfile is refused at start with a message saying how to decrypt it")
    void encryptedKeyRefused() {
        Path[] server = pki.server("server", KeyForm.PKCS8_EC);
        Path encrypted = pki.encrypted(server[1]);
        assertThatThrownBy(() -> listening.start(dir, "listener 0 127.0.0.1\ncertfile " + server[0]
                + "\nkeyfile " + encrypted + "\n"))
                .isInstanceOf(BrokerStartException.class)
                .hasMessageContaining(encrypted.toString()).hasMessageContaining("encrypted")
                .hasMessageContaining("openssl pkey");
    }

    @Test
    @DisplayName("reload re-reads the certificate for new connections; an open connection stays up")
    void reloadRotatesCertificate() throws Exception {
        Path[] first = pki.server("first", KeyForm.PKCS8_EC);
        Path cert = Files.copy(first[0], dir.resolve("live.crt"));
        Path key = Files.copy(first[1], dir.resolve("live.key"));
        Broker broker = listening.start(dir, "allow_anonymous true\nlistener 0 127.0.0.1\ncertfile " + cert
                + "\nkeyfile " + key + "\n");
        BigInteger firstSerial = serialSeenBy(broker.port());
        try (Paho open = new Paho("ssl://127.0.0.1:" + broker.port(), "stays").connect(Listening.ssl(pki.caCert()))) {
            Path[] second = pki.server("second", KeyForm.PKCS1_RSA);
            Files.copy(second[0], cert, StandardCopyOption.REPLACE_EXISTING);
            Files.copy(second[1], key, StandardCopyOption.REPLACE_EXISTING);

            broker.reload();

            BigInteger secondSerial = serialSeenBy(broker.port());
            assertThat(secondSerial).isNotEqualTo(firstSerial)
                    .isEqualTo(PemFiles.certificates(second[0], "second").get(0).getSerialNumber());
            assertThat(open.roundTrip("tls/after-reload", "still up")).isEqualTo("still up");
        }
    }

    @Test
    @DisplayName("a reload that cannot read the new files keeps the previous certificate in use")
    void failedReloadKeepsCertificate() throws Exception {
        Path[] first = pki.server("first", KeyForm.PKCS8_EC);
        Path cert = Files.copy(first[0], dir.resolve("live.crt"));
        Broker broker = listening.start(dir, "allow_anonymous true\nlistener 0 127.0.0.1\ncertfile " + cert
                + "\nkeyfile " + first[1] + "\n");
        BigInteger before = serialSeenBy(broker.port());
        Files.writeString(cert, "half-written by a renewal client");

        broker.reload();

        assertThat(serialSeenBy(broker.port())).isEqualTo(before);
    }

    private BigInteger serialSeenBy(int port) throws Exception {
        try (SSLSocket socket = tlsSocket(port, "TLS")) {
            socket.startHandshake();
            return ((X509Certificate) socket.getSession().getPeerCertificates()[0]).getSerialNumber();
        }
    }

    private SSLSocket tlsSocket(int port, String protocol) throws Exception {
        SSLSocket socket = (SSLSocket) Listening.ssl(pki.caCert(), null, "TLS").getSocketFactory()
                .createSocket("127.0.0.1", port);
        socket.setEnabledProtocols(protocol.equals("TLS") ? new String[] {"TLSv1.3", "TLSv1.2"} : new String[] {protocol});
        socket.setSoTimeout(10_000);
        return socket;
    }

    /** Sends CONNECT and returns the 4 bytes of the broker's CONNACK. */
    static byte[] mqttConnect(Socket socket) throws Exception {
        OutputStream out = socket.getOutputStream();
        out.write(CONNECT);
        out.flush();
        return socket.getInputStream().readNBytes(4);
    }
}
