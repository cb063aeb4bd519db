package org.wrenmq.broker.conformance;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.wrenmq.broker.BrokerConfig;
import org.wrenmq.broker.ConfigException;
import org.wrenmq.broker.testing.PacketType;

/**
 * Connections that never get to CONNECT: {@code connect_timeout} closes them, {@code max_pending_connections}
 * bounds how many there may be. Both counted. Not numbered in the specification, which lets a server close a
 * connection that sends no CONNECT "within a reasonable amount of time" (3.1.1 section 3.1).
 */
@DisplayName("connect_timeout and max_pending_connections")
class ConnectTimeoutTests {
    private static final Duration WELL_PAST_TIMEOUT = Duration.ofSeconds(6);

    @RegisterExtension
    final BrokerExtension broker = new BrokerExtension();

    @Test
    @DisplayName("a connection that sends nothing is closed after connect_timeout, and counted")
    void silentConnectionIsClosed() {
        broker.set("connect_timeout", "1");
        RawClient silent = broker.raw();

        assertThat(silent.closedByBroker(WELL_PAST_TIMEOUT)).as("closed by the broker").isTrue();
        assertThat(counter("connections.closed.connect_timeout")).isEqualTo(1);
    }

    @Test
    @DisplayName("a CONNECT dribbled a byte at a time is closed after connect_timeout, before it is complete")
    void dribbledConnectIsClosed() throws Exception {
        broker.set("connect_timeout", "1");
        byte[] connect = Packets.connect("dribbler").bytes();
        AtomicInteger sent = new AtomicInteger();
        try (Socket socket = new Socket("127.0.0.1", broker.port())) {
            Thread dribbler = new Thread(() -> dribble(socket, connect, sent), "dribbler");
            dribbler.start();
            socket.setSoTimeout((int) WELL_PAST_TIMEOUT.toMillis());

            assertThat(readAfterClose(socket)).as("end of stream, no CONNACK").isEqualTo(-1);
            assertThat(sent.get()).as("bytes of the CONNECT sent before the close").isLessThan(connect.length);
            dribbler.interrupt();
            dribbler.join();
        }
        assertThat(counter("connections.closed.connect_timeout")).isEqualTo(1);
    }

    @Test
    @DisplayName("a client that connected in time is not closed by connect_timeout later")
    void connectedClientOutlivesTheTimeout() {
        broker.set("connect_timeout", "1");
        RawClient client = broker.rawConnected("in-time", true);
        RawClient silentSentinel = broker.raw();

        assertThat(silentSentinel.closedByBroker(WELL_PAST_TIMEOUT)).as("the later, silent one closed").isTrue();
        client.send(Packets.pingreq()).expect(PacketType.PINGRESP);
        assertThat(counter("connections.closed.connect_timeout")).isEqualTo(1);
    }

    @Test
    @DisplayName("max_pending_connections: a connection beyond that many waiting for CONNECT is refused at accept")
    void pendingConnectionsAreBounded() {
        broker.set("max_pending_connections", "2").set("connect_timeout", "30");
        RawClient first = broker.raw();
        RawClient second = broker.raw();
        await().atMost(RawClient.PATIENCE).until(() -> counter("connections.current") == 2);

        RawClient third = broker.raw();

        third.expectClosedByBroker();
        assertThat(counter("connections.refused.max_pending")).isEqualTo(1);
        first.connectAccepted(Packets.connect("first"));
        second.connectAccepted(Packets.connect("second"));
        broker.raw().connectAccepted(Packets.connect("after-the-others-connected"));
    }

    @Test
    @DisplayName("connect_timeout and max_pending_connections: bad values name the file and line")
    void badValuesAreRefusedWithFileAndLine(@TempDir Path dir) throws IOException {
        Path conf = Files.writeString(dir.resolve("wrenmq.conf"), "listener 1883\nconnect_timeout 0\n");
        assertThatThrownBy(() -> BrokerConfig.parse(conf)).isInstanceOf(ConfigException.class)
                .hasMessage(conf + ":2: connect_timeout must be between 1 and 3600, not 0");
        Files.writeString(conf, "max_pending_connections 0\n");
        assertThatThrownBy(() -> BrokerConfig.parse(conf)).isInstanceOf(ConfigException.class)
                .hasMessage(conf + ":1: max_pending_connections must be -1 (unlimited) or at least 1, not 0");
        assertThat(BrokerConfig.builder().build().connectTimeout()).isEqualTo(10);
        assertThat(BrokerConfig.builder().build().maxPendingConnections()).isEqualTo(1000);
    }

    private long counter(String name) {
        return broker.broker().counters().get(name);
    }

    /** Writes one byte every 200 ms until done, interrupted, or the broker closes the connection. */
    private static void dribble(Socket socket, byte[] packet, AtomicInteger sent) {
        try {
            OutputStream out = socket.getOutputStream();
            for (byte b : packet) {
                out.write(b);
                out.flush();
                sent.incrementAndGet();
                Thread.sleep(200);
            }
        } catch (IOException | InterruptedException e) {
            // closed by the broker, or the test is done
        }
    }

    /** The next byte, or -1 once the broker closed: a reset (it closed while the dribbler still wrote) is closed too. */
    private static int readAfterClose(Socket socket) throws java.io.IOException {
        try {
            return socket.getInputStream().read();
        } catch (java.net.SocketException reset) {
            return -1;
        }
    }
}
