package org.wrenmq.broker.transport;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.wrenmq.broker.Broker;
import org.wrenmq.broker.testing.TestPki;
import org.wrenmq.broker.testing.TestPki.KeyForm;

@DisplayName("WebSocket listeners (protocol websockets), plain and over TLS")
class WebSocketListenerTests {
    static final byte[] PINGREQ = {(byte) 0xC0, 0};
    static final byte[] PINGRESP = {(byte) 0xD0, 0};

    @RegisterExtension
    final Listening listening = new Listening();
    @TempDir
    Path dir;

    private Broker wsBroker() {
        return listening.start(dir, "allow_anonymous true\nlistener 0 127.0.0.1\nprotocol websockets\n");
    }

    @Test
    @DisplayName("Paho over ws:// on /mqtt publishes and receives")
    void pahoOverWs() throws Exception {
        Broker broker = wsBroker();
        try (Paho client = new Paho("ws://127.0.0.1:" + broker.port() + "/mqtt", "paho-ws").connect(null)) {
            assertThat(client.roundTrip("ws/paho", "over WebSockets")).isEqualTo("over WebSockets");
        }
    }

    @Test
    @DisplayName("Paho over wss:// publishes and receives")
    void pahoOverWss() throws Exception {
        TestPki pki = TestPki.create(dir);
        Path[] server = pki.server("server", KeyForm.PKCS8_EC);
        Broker broker = listening.start(dir, "allow_anonymous true\nlistener 0 127.0.0.1\nprotocol websockets\n"
                + "certfile " + server[0] + "\nkeyfile " + server[1] + "\n");
        try (Paho client = new Paho("wss://127.0.0.1:" + broker.port() + "/mqtt", "paho-wss")
                .connect(Listening.ssl(pki.caCert()))) {
            assertThat(client.roundTrip("wss/paho", "over secure WebSockets")).isEqualTo("over secure WebSockets");
        }
    }

    @Test
    @DisplayName("subprotocol mqttv3.1 on any path; a packet split across frames and two packets in one frame [MQTT-6.0.0-2]")
    void framesAreNotPackets() throws Exception {
        Broker broker = wsBroker();
        Collector received = new Collector();
        WebSocket ws = HttpClient.newHttpClient().newWebSocketBuilder().subprotocols("mqttv3.1")
                .buildAsync(URI.create("ws://127.0.0.1:" + broker.port() + "/any/path"), received)
                .get(10, TimeUnit.SECONDS);
        assertThat(ws.getSubprotocol()).isEqualTo("mqttv3.1");

        byte[] connect = TlsListenerTests.CONNECT;
        ws.sendBinary(ByteBuffer.wrap(connect, 0, 5), false).get(10, TimeUnit.SECONDS);
        ws.sendBinary(ByteBuffer.wrap(connect, 5, connect.length - 5), true).get(10, TimeUnit.SECONDS);
        assertThat(received.take(4)).containsExactly(TlsListenerTests.CONNACK_ACCEPTED);

        byte[] twoPings = {PINGREQ[0], PINGREQ[1], PINGREQ[0], PINGREQ[1]};
        ws.sendBinary(ByteBuffer.wrap(twoPings), true).get(10, TimeUnit.SECONDS);
        assertThat(received.take(4)).containsExactly(PINGRESP[0], PINGRESP[1], PINGRESP[0], PINGRESP[1]);
        ws.abort();
    }

    @Test
    @DisplayName("a text frame closes the connection [MQTT-6.0.0-1]")
    void textFrameCloses() throws Exception {
        Broker broker = wsBroker();
        Collector received = new Collector();
        WebSocket ws = HttpClient.newHttpClient().newWebSocketBuilder().subprotocols("mqtt")
                .buildAsync(URI.create("ws://127.0.0.1:" + broker.port() + "/mqtt"), received)
                .get(10, TimeUnit.SECONDS);
        ws.sendText("CONNECT", true).get(10, TimeUnit.SECONDS);
        assertThat(received.closed.get(10, TimeUnit.SECONDS)).isTrue();
    }

    /** Collects the bytes of binary frames, whatever frames they came in. */
    static final class Collector implements WebSocket.Listener {
        private final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        final CompletableFuture<Boolean> closed = new CompletableFuture<>();

        @Override
        public synchronized CompletionStage<?> onBinary(WebSocket ws, ByteBuffer data, boolean last) {
            byte[] b = new byte[data.remaining()];
            data.get(b);
            bytes.writeBytes(b);
            notifyAll();
            ws.request(1);
            return null;
        }

        @Override
        public CompletionStage<?> onClose(WebSocket ws, int statusCode, String reason) {
            closed.complete(true);
            return null;
        }

        @Override
        public void onError(WebSocket ws, Throwable error) {
            closed.complete(true);
        }

        synchronized byte[] take(int n) throws InterruptedException {
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
            while (bytes.size() < n && System.nanoTime() < deadline) {
                wait(100);
            }
            byte[] all = bytes.toByteArray();
            bytes.reset();
            bytes.write(all, Math.min(n, all.length), Math.max(0, all.length - n));
            byte[] out = new byte[Math.min(n, all.length)];
            System.arraycopy(all, 0, out, 0, out.length);
            return out;
        }
    }
}
