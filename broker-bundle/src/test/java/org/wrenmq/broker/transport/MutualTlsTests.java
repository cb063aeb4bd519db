package org.wrenmq.broker.transport;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.Base64;
import org.eclipse.paho.client.mqttv3.MqttException;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.wrenmq.broker.Broker;
import org.wrenmq.broker.testing.TestPki;
import org.wrenmq.broker.testing.TestPki.KeyForm;

@DisplayName("mutual TLS (require_certificate, use_identity_as_username, use_subject_as_username, crlfile)")
class MutualTlsTests {
    @RegisterExtension
    final Listening listening = new Listening();
    @TempDir
    Path dir;
    TestPki pki;
    Path[] server;

    @BeforeEach
    void makeCertificates() {
        pki = TestPki.create(dir);
        server = pki.server("server", KeyForm.PKCS8_EC);
    }

    private Broker mtlsBroker(String extra) throws Exception {
        Path passwd = Files.writeString(dir.resolve("passwd"), "someone:" + sha512Hash("secret") + "\n");
        return listening.start(dir, "allow_anonymous false\npassword_file " + passwd + "\nlistener 0 127.0.0.1\n"
                + "cafile " + pki.caCert() + "\ncertfile " + server[0] + "\nkeyfile " + server[1]
                + "\nrequire_certificate true\n" + extra);
    }

    private Paho client(Broker broker, Path[] certKey) throws MqttException {
        return listening.track(new Paho("ssl://127.0.0.1:" + broker.port(), "mtls-" + System.nanoTime()))
                .connect(Listening.ssl(pki.caCert(), certKey, "TLS"), "someone", "secret");
    }

    @Test
    @DisplayName("require_certificate: a client with a certificate signed by cafile gets in, one without does not")
    void certificateRequired() throws Exception {
        Broker broker = mtlsBroker("");
        assertThat(client(broker, pki.client("device-1")).roundTrip("mtls/a", "signed")).isEqualTo("signed");
        assertThatThrownBy(() -> client(broker, null)).isInstanceOf(MqttException.class);
        assertThat(broker.counters().get("tls.handshakes.failed")).isPositive();
    }

    @Test
    @DisplayName("a certificate signed by another CA is refused")
    void otherCaRefused() throws Exception {
        Broker broker = mtlsBroker("");
        Path otherDir = Files.createDirectory(dir.resolve("other"));
        Path[] stranger = TestPki.create(otherDir).client("stranger");
        assertThatThrownBy(() -> client(broker, stranger)).isInstanceOf(MqttException.class);
    }

    @Test
    @DisplayName("use_identity_as_username: the certificate's CN logs in without a password, despite allow_anonymous false")
    void identityAsUserName() throws Exception {
        Broker broker = mtlsBroker("use_identity_as_username true\n");
        try (Paho device = new Paho("ssl://127.0.0.1:" + broker.port(), "device")
                .connect(Listening.ssl(pki.caCert(), pki.client("device-2"), "TLS"))) {
            assertThat(device.roundTrip("mtls/identity", "no password")).isEqualTo("no password");
        }
    }

    @Test
    @DisplayName("use_subject_as_username: the whole subject logs in without a password")
    void subjectAsUserName() throws Exception {
        Broker broker = mtlsBroker("use_subject_as_username true\n");
        try (Paho device = new Paho("ssl://127.0.0.1:" + broker.port(), "device")
                .connect(Listening.ssl(pki.caCert(), pki.client("device-3"), "TLS"))) {
            assertThat(device.isConnected()).isTrue();
        }
    }

    @Test
    @DisplayName("crlfile: a revoked client certificate is refused, the others still get in")
    void revokedRefused() throws Exception {
        Path[] revoked = pki.client("revoked");
        Path[] good = pki.client("good");
        Path crl = pki.revoke(revoked[0]);
        Broker broker = mtlsBroker("crlfile " + crl + "\n");
        assertThatThrownBy(() -> client(broker, revoked)).isInstanceOf(MqttException.class);
        assertThat(client(broker, good).roundTrip("mtls/crl", "not revoked")).isEqualTo("not revoked");
    }

    @Test
    @DisplayName("capath: a directory of CA certificates works like cafile")
    void capath() throws Exception {
        Path cas = Files.createDirectory(dir.resolve("cas"));
        Files.copy(pki.caCert(), cas.resolve("ca.pem"));
        Files.writeString(cas.resolve("README"), "not a certificate");
        Broker broker = listening.start(dir, "allow_anonymous true\nlistener 0 127.0.0.1\ncapath " + cas
                + "\ncertfile " + server[0] + "\nkeyfile " + server[1] + "\nrequire_certificate true\n");
        assertThat(client(broker, pki.client("device-4")).roundTrip("mtls/capath", "by capath"))
                .isEqualTo("by capath");
    }

    @Test
    @DisplayName("per_listener_settings true: the TLS listener checks its password_file, the plain one is anonymous")
    void perListenerPasswordFile() throws Exception {
        Path passwd = Files.writeString(dir.resolve("passwd"), "someone:" + sha512Hash("secret") + "\n");
        Broker broker = listening.start(dir, "per_listener_settings true\nlistener 0 127.0.0.1\n"
                + "allow_anonymous true\nlistener 0 127.0.0.1\ncertfile " + server[0] + "\nkeyfile " + server[1]
                + "\npassword_file " + passwd + "\n");
        String tlsUri = "ssl://127.0.0.1:" + Listening.port(broker, 1);
        assertThat(listening.track(new Paho(tlsUri, "right")).connect(Listening.ssl(pki.caCert()), "someone", "secret")
                .isConnected()).isTrue();
        assertThatThrownBy(() -> listening.track(new Paho(tlsUri, "wrong"))
                .connect(Listening.ssl(pki.caCert()), "someone", "guess")).hasMessageContaining("authorized");
        assertThatThrownBy(() -> listening.track(new Paho(tlsUri, "anonymous")).connect(Listening.ssl(pki.caCert())))
                .hasMessageContaining("authorized");
        assertThat(listening.track(new Paho("tcp://127.0.0.1:" + Listening.port(broker, 0), "plain")).connect(null)
                .isConnected()).isTrue();
    }

    /** A mosquitto {@code $6$} password hash: SHA-512 of password then salt. */
    static String sha512Hash(String password) throws Exception {
        byte[] salt = "0123456789abcdef".getBytes(StandardCharsets.US_ASCII);
        MessageDigest md = MessageDigest.getInstance("SHA-512");
        md.update(password.getBytes(StandardCharsets.UTF_8));
        md.update(salt);
        return "$6$" + Base64.getEncoder().encodeToString(salt) + "$" + Base64.getEncoder().encodeToString(md.digest());
    }
}
