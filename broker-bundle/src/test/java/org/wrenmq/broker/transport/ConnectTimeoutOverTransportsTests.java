package org.wrenmq.broker.transport;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.net.http.HttpClient;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLSocket;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.wrenmq.broker.Broker;
import org.wrenmq.broker.testing.TestPki;
import org.wrenmq.broker.testing.TestPki.KeyForm;

/**
 * {@code connect_timeout} counts from the TCP accept on every kind of listener: a TLS or WebSocket handshake that
 * never starts, or one that finishes and is followed by no CONNECT, is closed then and counted, as on a plain
 * listener (conformance.ConnectTimeoutTests). The TLS handshake's own limit is set far above it here.
 */
@DisplayName("connect_timeout over TLS and WebSocket listeners")
class ConnectTimeoutOverTransportsTests {
    private static final String GATE = "connect_timeout 1\ntls_handshake_timeout 60\n";
    private static final Duration WELL_PAST_TIMEOUT = Duration.ofSeconds(8);

    @RegisterExtension
    final Listening listening = new Listening();
    @TempDir
    Path dir;
    private TestPki pki;

    private Broker tlsBroker() {
        pki = TestPki.create(dir);
        Path[] server = pki.server("server", KeyForm.PKCS8_EC);
        return listening.start(dir, "allow_anonymous true\nlistener 0 127.0.0.1\ncertfile " + server[0]
                + "\nkeyfile " + server[1] + "\n" + GATE);
    }

    @Test
    @DisplayName("TLS listener: a socket that never starts the handshake is closed at connect_timeout")
    void tlsHandshakeNeverStarted() throws Exception {
        Broker broker = tlsBroker();
        try (Socket silent = new Socket("127.0.0.1", broker.port())) {
            assertClosedByBroker(silent);
        }
        assertThat(broker.counters()).containsEntry("connections.closed.connect_timeout", 1L)
                .containsEntry("tls.handshakes.timed_out", 0L);
    }

    @Test
    @DisplayName("TLS listener: a finished handshake followed by no CONNECT is closed at connect_timeout")
    void tlsHandshakeDoneThenSilent() throws Exception {
        Broker broker = tlsBroker();
        try (SSLSocket socket = (SSLSocket) Listening.ssl(pki.caCert()).getSocketFactory()
                .createSocket("127.0.0.1", broker.port())) {
            socket.startHandshake();
            assertClosedByBroker(socket);
        }
        assertThat(broker.counters()).containsEntry("connections.closed.connect_timeout", 1L);
    }

    @Test
    @DisplayName("WebSocket listener: a socket that never sends the HTTP upgrade is closed at connect_timeout")
    void webSocketUpgradeNeverSent() throws Exception {
        Broker broker = listening.start(dir, "allow_anonymous true\nlistener 0 127.0.0.1\nprotocol websockets\n"
                + GATE);
        try (Socket silent = new Socket("127.0.0.1", broker.port())) {
            assertClosedByBroker(silent);
        }
        assertThat(broker.counters()).containsEntry("connections.closed.connect_timeout", 1L);
    }

    @Test
    @DisplayName("WebSocket listener: an upgraded connection that sends no CONNECT is closed at connect_timeout")
    void webSocketUpgradedThenSilent() throws Exception {
        Broker broker = listening.start(dir, "allow_anonymous true\nlistener 0 127.0.0.1\nprotocol websockets\n"
                + GATE);
        WebSocketListenerTests.Collector received = new WebSocketListenerTests.Collector();
        HttpClient.newHttpClient().newWebSocketBuilder().subprotocols("mqtt")
                .buildAsync(URI.create("ws://127.0.0.1:" + broker.port() + "/mqtt"), received)
                .get(10, TimeUnit.SECONDS);

        assertThat(received.closed.get(WELL_PAST_TIMEOUT.toSeconds(), TimeUnit.SECONDS)).isTrue();
        await().untilAsserted(() -> assertThat(broker.counters())
                .containsEntry("connections.closed.connect_timeout", 1L));
    }

    /** The broker closes the connection (end of stream or reset) well before this test's own limit. */
    private static void assertClosedByBroker(Socket socket) throws IOException {
        socket.setSoTimeout((int) WELL_PAST_TIMEOUT.toMillis());
        try {
            assertThat(socket.getInputStream().read()).as("end of stream").isEqualTo(-1);
        } catch (SocketTimeoutException e) {
            throw new AssertionError("still open after " + WELL_PAST_TIMEOUT, e);
        } catch (IOException reset) {
            // closed by the broker: a reset or a TLS close is as good as an end of stream
        }
    }
}
