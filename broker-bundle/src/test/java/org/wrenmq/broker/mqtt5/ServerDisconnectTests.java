package org.wrenmq.broker.mqtt5;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;

import org.eclipse.paho.mqttv5.client.MqttDisconnectResponse;
import org.eclipse.paho.mqttv5.common.MqttException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.wrenmq.broker.testing.PacketType;

/**
 * DISCONNECT sent by the broker: the reason code names why [MQTT-3.14.2-1] and a reason string says it in words
 * (the client asked for problem information, the default), the packet carries no Session Expiry Interval
 * [MQTT-3.14.2-2], nothing follows it [MQTT-3.14.4-1] and the connection closes [MQTT-3.14.4-2].
 */
class ServerDisconnectTests {
    @RegisterExtension
    final Mqtt5Broker broker = new Mqtt5Broker();

    /** [MQTT-3.1.4-3]: a second connection with the same client id ends the first with 0x8E. */
    @Test
    void sessionTakenOver() {
        RawClient5 first = broker.rawConnected("twin");

        broker.rawConnected("twin");

        assertServerDisconnect(first.expectDisconnect(), 0x8E);
    }

    /** [MQTT-3.1.4-3]: Paho sees the takeover as a DISCONNECT with reason code 0x8E. */
    @Test
    void sessionTakenOverAsPahoSeesIt() throws MqttException {
        Paho5 first = broker.paho("paho-twin").connect();

        broker.paho("paho-twin").connect();

        MqttDisconnectResponse response = first.awaitDisconnected(RawClient5.PATIENCE);
        assertThat(response.getReturnCode()).isEqualTo(0x8E);
    }

    /** [MQTT-3.14.2-3]: the reason string is left out when it would make DISCONNECT larger than the client takes. */
    @Test
    void reasonStringIsLeftOutWhenItDoesNotFit() {
        RawClient5 first = broker.raw().connectAccepted(Wire.connect("tiny-twin")
                .property(Property.MAXIMUM_PACKET_SIZE, 8));

        broker.rawConnected("tiny-twin");

        Frame disconnect = first.expectDisconnect();
        assertThat(disconnect.reasonCode()).isEqualTo(0x8E);
        assertThat(2 + disconnect.body().length).as("DISCONNECT size").isLessThanOrEqualTo(8);
    }

    /** [MQTT-3.3.1-4] [MQTT-4.13.1-1]: a PUBLISH with both QoS bits set is malformed: 0x81. */
    @Test
    void malformedPacket() {
        RawClient5 client = broker.rawConnected("malformed");

        client.send(new byte[] {0x36, 0x05, 0x00, 0x01, 'x', 0x00, 0x01});

        assertServerDisconnect(client.expectDisconnect(), 0x81);
    }

    /** [MQTT-4.13.1-1]: a property length beyond the end of the packet is malformed: 0x81. */
    @Test
    void malformedProperties() {
        RawClient5 client = broker.rawConnected("bad-props");

        // PUBLISH QoS 0, topic "x", property length 9 but only 1 byte follows
        client.send(new byte[] {0x30, 0x05, 0x00, 0x01, 'x', 0x09, 0x01});

        assertServerDisconnect(client.expectDisconnect(), 0x81);
    }

    /** [MQTT-3.2.2-15] section 3.1.2.11.4: a payload above message_size_limit is refused with 0x95. */
    @Test
    void packetTooLarge() {
        broker.set("message_size_limit", "100");
        RawClient5 client = broker.rawConnected("too-large");

        client.send(Wire.publish("big", "x".repeat(101), 0, 0));

        assertServerDisconnect(client.expectDisconnect(), 0x95);
        assertThat(broker.counter("messages.refused.message_size_limit")).isEqualTo(1);
    }

    /** [MQTT-3.2.2-15]: a packet above the Maximum Packet Size of CONNACK is refused with 0x95. */
    @Test
    void packetAboveAnnouncedMaximumPacketSize() {
        broker.set("message_size_limit", "100");
        RawClient5 client = broker.raw();
        long maximum = client.connect(Wire.connect("huge")).properties().number(Property.MAXIMUM_PACKET_SIZE)
                .orElseThrow();

        client.send(Wire.publish("huge", "y".repeat((int) maximum), 0, 0));

        assertServerDisconnect(client.expectDisconnect(), 0x95);
    }

    /** Section 3.3.4: more unacknowledged QoS 2 PUBLISHes than the broker's Receive Maximum: 0x93. */
    @Test
    void receiveMaximumExceeded() {
        broker.set("max_inflight_messages", "2");
        RawClient5 client = broker.raw();
        assertThat(client.connect(Wire.connect("flood")).properties().number(Property.RECEIVE_MAXIMUM)).contains(2L);

        client.send(Wire.publish("f/t", "1", 2, 1), Wire.publish("f/t", "2", 2, 2), Wire.publish("f/t", "3", 2, 3));

        assertServerDisconnect(client.expectDisconnect(), 0x93);
    }

    /**
     * A client that keeps sending after it broke a rule can finish sending, then reads the DISCONNECT and the end
     * of the stream: the broker half-closes and drains instead of closing on unread bytes, which resets the
     * connection, fails the client's writes and can destroy the DISCONNECT (Paho's interoperability
     * test_flow_control2 saw a reset). Here 0x93.
     */
    @Test
    void receiveMaximumExceededWhileClientKeepsSending() {
        broker.set("max_inflight_messages", "2");
        RawClient5 client = broker.raw().connectAccepted(Wire.connect("flood-on"));

        client.send(concat(Wire.publish("f/t", "1", 2, 1), Wire.publish("f/t", "2", 2, 2),
                Wire.publish("f/t", "3", 2, 3), MORE_TRAFFIC));

        assertServerDisconnect(client.expectDisconnect(), 0x93);
    }

    /** As above for a packet above message_size_limit, then more traffic: 0x95, then end of stream. */
    @Test
    void packetTooLargeWhileClientKeepsSending() {
        broker.set("message_size_limit", "100");
        RawClient5 client = broker.rawConnected("too-large-on");

        client.send(concat(Wire.publish("big", "x".repeat(101), 0, 0), MORE_TRAFFIC));

        assertServerDisconnect(client.expectDisconnect(), 0x95);
    }

    /** As above for a malformed packet followed by more traffic: 0x81, then end of stream. */
    @Test
    void malformedPacketWhileClientKeepsSending() {
        RawClient5 client = broker.rawConnected("malformed-on");

        client.send(concat(new byte[] {0x36, 0x05, 0x00, 0x01, 'x', 0x00, 0x01}, MORE_TRAFFIC));

        assertServerDisconnect(client.expectDisconnect(), 0x81);
    }

    /**
     * A client that reads the DISCONNECT but keeps its socket open is closed after the grace (1 s), and counted:
     * a half-closed connection cannot linger.
     */
    @Test
    void connectionIsClosedAfterTheGraceWhenTheClientStaysOpen() {
        broker.set("message_size_limit", "100");
        RawClient5 client = broker.rawConnected("lingering");

        client.send(Wire.publish("big", "x".repeat(101), 0, 0));
        assertServerDisconnect(client.expectDisconnect(), 0x95);

        await().atMost(RawClient5.PATIENCE).until(() -> broker.counter("connections.close_grace_expired") == 1);
        await().atMost(RawClient5.PATIENCE).until(() -> broker.counter("connections.current") == 0);
    }

    /** More than a socket buffer of QoS 0 PUBLISHes: still arriving when the broker ends the connection. */
    private static final byte[] MORE_TRAFFIC = more(Wire.publish("f/more", "z".repeat(1000), 0, 0), 4000);

    private static byte[] more(byte[] packet, int times) {
        byte[][] copies = new byte[times][];
        java.util.Arrays.fill(copies, packet);
        return concat(copies);
    }

    private static byte[] concat(byte[]... parts) {
        java.io.ByteArrayOutputStream all = new java.io.ByteArrayOutputStream();
        for (byte[] part : parts) {
            all.writeBytes(part);
        }
        return all.toByteArray();
    }

    /** [MQTT-3.1.2-22]: nothing from the client for 1.5 times its keep alive: 0x8D, then close. */
    @Test
    void keepAliveTimeout() {
        RawClient5 client = broker.raw().connectAccepted(Wire.connect("sleepy").keepAlive(1));
        long start = System.nanoTime();

        Frame disconnect = client.expectDisconnect(Duration.ofSeconds(4));

        assertServerDisconnect(disconnect, 0x8D);
        assertThat(Duration.ofNanos(System.nanoTime() - start)).isGreaterThanOrEqualTo(Duration.ofMillis(1400));
        assertThat(broker.counter("connections.closed.keepalive")).isEqualTo(1);
    }

    /**
     * [MQTT-3.1.2-21] [MQTT-3.2.2-21]: the Server Keep Alive given in CONNACK (from max_keepalive) is the one the
     * broker enforces: 1.5 x 10 s, not 1.5 x the 60 s the client asked for. (The slowest test here: 15 s.)
     */
    @Test
    void serverKeepAliveIsEnforced() {
        broker.set("max_keepalive", "10");
        RawClient5 client = broker.raw();
        assertThat(client.connect(Wire.connect("optimist").keepAlive(60)).properties()
                .number(Property.SERVER_KEEP_ALIVE)).contains(10L);
        long start = System.nanoTime();

        Frame disconnect = client.expectDisconnect(Duration.ofSeconds(20));

        assertServerDisconnect(disconnect, 0x8D);
        assertThat(Duration.ofNanos(System.nanoTime() - start)).isBetween(Duration.ofSeconds(14),
                Duration.ofSeconds(17));
    }

    /** [MQTT-3.1.2-22]: a client that pings in time stays connected past 1.5 times its keep alive. */
    @Test
    void pingingClientIsNotTimedOut() {
        RawClient5 client = broker.raw().connectAccepted(Wire.connect("awake").keepAlive(1));

        for (int i = 0; i < 4; i++) {
            client.send(Wire.pingreq());
            client.expect(PacketType.PINGRESP);
            client.expectNothingFor(Duration.ofMillis(600));
        }
    }

    /** Section 4.13.2, reason code 0x8B: a clean stop tells every MQTT 5 client the server is shutting down. */
    @Test
    void serverShuttingDown() {
        RawClient5 raw = broker.rawConnected("stop-raw");

        broker.broker().close();

        assertServerDisconnect(raw.expectDisconnect(), 0x8B);
    }

    /** Reason code 0x8B as Paho sees it. */
    @Test
    void serverShuttingDownAsPahoSeesIt() throws MqttException {
        Paho5 client = broker.paho("stop-paho").connect();

        broker.broker().close();

        assertThat(client.awaitDisconnected(RawClient5.PATIENCE).getReturnCode()).isEqualTo(0x8B);
    }

    private static void assertServerDisconnect(Frame disconnect, int reasonCode) {
        assertThat(disconnect.reasonCode()).as("DISCONNECT reason code of %s", disconnect).isEqualTo(reasonCode);
        assertThat(disconnect.properties().string(Property.REASON_STRING)).as("reason string, section 3.14.2.2.3")
                .hasValueSatisfying(why -> assertThat(why).isNotBlank());
        assertThat(disconnect.properties().has(Property.SESSION_EXPIRY_INTERVAL))
                .as("Session Expiry Interval in a server DISCONNECT [MQTT-3.14.2-2]").isFalse();
    }
}
