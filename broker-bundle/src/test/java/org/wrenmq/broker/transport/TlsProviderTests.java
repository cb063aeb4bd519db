package org.wrenmq.broker.transport;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import javax.net.ssl.SSLSocket;
import org.eclipse.paho.client.mqttv3.MqttException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.wrenmq.broker.Broker;
import org.wrenmq.broker.testing.TestPki;
import org.wrenmq.broker.testing.TestPki.KeyForm;

/** The same listener settings on both TLS implementations: OpenSSL (netty-tcnative) and the JDK's fallback. */
@DisplayName("TLS on OpenSSL and on the JDK")
class TlsProviderTests {
    @RegisterExtension
    final Listening listening = new Listening();
    @TempDir
    Path dir;
    TestPki pki;

    @BeforeEach
    void makeCertificates() {
        pki = TestPki.create(dir);
    }

    @AfterEach
    void defaultProvider() {
        System.clearProperty(TlsContexts.PROVIDER_PROPERTY);
    }

    private Broker broker(String provider, String listenerLines) {
        System.setProperty(TlsContexts.PROVIDER_PROPERTY, provider);
        Path[] server = pki.server("server", KeyForm.PKCS1_RSA);
        return listening.start(dir, "allow_anonymous true\nlistener 0 127.0.0.1\ncafile " + pki.caCert()
                + "\ncertfile " + server[0] + "\nkeyfile " + server[1] + "\n" + listenerLines);
    }

    @ParameterizedTest
    @ValueSource(strings = {"openssl", "jdk"})
    @DisplayName("ciphers: an OpenSSL suite name is what a TLS 1.2 client gets")
    void ciphers(String provider) throws Exception {
        Broker broker = broker(provider, "ciphers ECDHE-RSA-AES128-GCM-SHA256\n");
        try (SSLSocket socket = (SSLSocket) Listening.ssl(pki.caCert()).getSocketFactory()
                .createSocket("127.0.0.1", broker.port())) {
            socket.setEnabledProtocols(new String[] {"TLSv1.2"});
            assertThat(TlsListenerTests.mqttConnect(socket)).containsExactly(TlsListenerTests.CONNACK_ACCEPTED);
            assertThat(socket.getSession().getCipherSuite()).isEqualTo("TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256");
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"openssl", "jdk"})
    @DisplayName("require_certificate with crlfile: signed clients in, revoked and certificate-less clients out")
    void mutualTlsWithCrl(String provider) throws Exception {
        Path[] good = pki.client("good");
        Path[] revoked = pki.client("revoked");
        Path crl = pki.revoke(revoked[0]);
        Broker broker = broker(provider, "require_certificate true\ncrlfile " + crl + "\n");
        String uri = "ssl://127.0.0.1:" + broker.port();
        try (Paho client = new Paho(uri, "good").connect(Listening.ssl(pki.caCert(), good, "TLS"))) {
            assertThat(client.roundTrip("provider/" + provider, "hello")).isEqualTo("hello");
        }
        assertThatThrownBy(() -> listening.track(new Paho(uri, "revoked"))
                .connect(Listening.ssl(pki.caCert(), revoked, "TLS"))).isInstanceOf(MqttException.class);
        assertThatThrownBy(() -> listening.track(new Paho(uri, "none")).connect(Listening.ssl(pki.caCert())))
                .isInstanceOf(MqttException.class);
    }
}
