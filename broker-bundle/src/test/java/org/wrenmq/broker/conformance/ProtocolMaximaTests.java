package org.wrenmq.broker.conformance;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.HexFormat;

import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.wrenmq.broker.testing.PacketType;

/**
 * Every length MQTT 3.1.1 allows works, up to the protocol's maximum: strings and will payloads carry a two-byte
 * length, so 65,535 bytes is the most a client can express [MQTT-1.5.3]; one more cannot be written. Payloads are
 * bounded by {@code message_size_limit}, tested at it and one past it.
 */
@DisplayName("Protocol maxima: longest topics, will topics and payloads, client ids, credentials (MQTT 3.1.1)")
class ProtocolMaximaTests {
    private static final int MAX_STRING = 65_535;

    @RegisterExtension
    final BrokerExtension broker = new BrokerExtension();

    @ParameterizedTest(name = "will topic of {0} bytes")
    @ValueSource(ints = {32_767, 32_768, MAX_STRING})
    @DisplayName("a will topic up to 65,535 bytes is accepted and the will is published there")
    void longWillTopicIsPublished(int length) {
        RawClient subscriber = broker.rawConnected("subscriber", true).subscribe("w/#", 0);
        String topic = ofLength("w/", length);
        RawClient willer = broker.raw().connectAccepted(Packets.connect("willer").will(topic, "gone", 0, false));

        willer.close();

        Packet will = subscriber.expect(PacketType.PUBLISH);
        assertThat(will.topic()).isEqualTo(topic);
        assertThat(will.payload()).isEqualTo("gone");
    }

    @Test
    @DisplayName("the CONNECT of the report (will topic of 32,768 bytes) gets CONNACK 0")
    void reportedConnectIsAccepted() {
        byte[] head = HexFormat.ofDelimiter(" ").parseHex("10 91 80 02 00 04 4d 51 54 54 04 06 00 3c 00 01 61 80 00");
        byte[] packet = new byte[head.length + 32_768 + 2];
        System.arraycopy(head, 0, packet, 0, head.length);
        java.util.Arrays.fill(packet, head.length, head.length + 32_768, (byte) 'x');

        Packet connack = broker.raw().send(packet).expect(PacketType.CONNACK);

        assertThat(connack.connackReturnCode()).isZero();
    }

    @Test
    @DisplayName("a will topic longer than 32,767 bytes that is not UTF-8 is a malformed CONNECT [MQTT-1.5.3-1]")
    void longWillTopicThatIsNotUtf8IsMalformed() {
        byte[] topic = ofLength("w/", 40_000).getBytes(java.nio.charset.StandardCharsets.UTF_8);
        topic[20_000] = (byte) 0xFF;
        byte[] connect = new org.wrenmq.broker.testing.PacketBody().string("MQTT").u8(4).u8(0x06).u16(60)
                .string("bad-will").binary(topic).binary(new byte[0]).packet(PacketType.CONNECT << 4);
        RawClient client = broker.raw().send(connect);

        assertThat(client.nextUnlessClosed()).as("packet before the close").isEmpty();
    }

    @Test
    @DisplayName("a will payload of 65,535 bytes is published whole")
    void longWillPayloadIsPublished() {
        RawClient subscriber = broker.rawConnected("subscriber", true).subscribe("will", 0);
        String payload = ofLength("", MAX_STRING);
        broker.raw().connectAccepted(Packets.connect("willer").will("will", payload, 0, false)).close();

        assertThat(subscriber.expect(PacketType.PUBLISH).payload()).isEqualTo(payload);
    }

    @Test
    @DisplayName("a topic of 65,535 bytes is published and delivered")
    void longestTopicIsDelivered() {
        RawClient subscriber = broker.rawConnected("subscriber", true).subscribe("t/#", 1);
        String topic = ofLength("t/", MAX_STRING);

        broker.rawConnected("publisher", true).send(Packets.publish(topic, "p", 1, 1)).expect(PacketType.PUBACK);

        assertThat(subscriber.expect(PacketType.PUBLISH).topic()).isEqualTo(topic);
    }

    @Test
    @DisplayName("a client id, user name and password of 65,535 bytes each are accepted")
    void longestClientIdAndCredentialsAreAccepted() {
        String clientId = ofLength("c", MAX_STRING);
        broker.raw().connectAccepted(Packets.connect(clientId)
                .credentials(ofLength("u", MAX_STRING), ofLength("p", MAX_STRING)));

        assertThat(broker.broker().clients()).anyMatch(c -> c.clientId().equals(clientId));
    }

    @Test
    @DisplayName("message_size_limit: a payload of exactly the limit is delivered, one byte more closes the connection")
    void payloadAtTheLimitIsDeliveredOnePastIsRefused() {
        broker.set("message_size_limit", "1000");
        RawClient subscriber = broker.rawConnected("subscriber", true).subscribe("size", 1);
        RawClient publisher = broker.rawConnected("publisher", true);

        publisher.send(Packets.publish("size", ofLength("", 1000), 1, 1)).expect(PacketType.PUBACK);
        assertThat(subscriber.expect(PacketType.PUBLISH).payload()).hasSize(1000);
        publisher.send(Packets.publish("size", ofLength("", 1001), 1, 2));

        publisher.expectClosedByBroker();
        assertThat(broker.broker().counters().get("messages.refused.message_size_limit")).isEqualTo(1);
    }

    /** {@code prefix} followed by as many 'x' as make {@code bytes} bytes of UTF-8. */
    static String ofLength(String prefix, int bytes) {
        return prefix + "x".repeat(bytes - prefix.length());
    }
}
