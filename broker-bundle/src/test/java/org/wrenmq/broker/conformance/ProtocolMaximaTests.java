package org.wrenmq.broker.conformance;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Arrays;
import java.util.HexFormat;

import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.wrenmq.broker.testing.PacketBody;
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
        Arrays.fill(packet, head.length, head.length + 32_768, (byte) 'x');

        Packet connack = broker.raw().send(packet).expect(PacketType.CONNACK);

        assertThat(connack.connackReturnCode()).isZero();
    }

    @Test
    @DisplayName("a will topic longer than 32,767 bytes that is not UTF-8 is a malformed CONNECT [MQTT-1.5.3-1]")
    void longWillTopicThatIsNotUtf8IsMalformed() {
        byte[] topic = ofLength("w/", 40_000).getBytes(StandardCharsets.UTF_8);
        topic[20_000] = (byte) 0xFF;
        byte[] connect = new PacketBody().string("MQTT").u8(4).u8(0x06).u16(60)
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

    @Test
    @DisplayName("with message_size_limit set, a CONNECT with every field at 65,535 bytes at once is accepted, its will published")
    void everyConnectFieldAtItsMaximumAtOnce() {
        broker.set("message_size_limit", Integer.toString(MAX_STRING));
        RawClient subscriber = broker.rawConnected("subscriber", true).subscribe("w/#", 0);
        String willTopic = ofLength("w/", MAX_STRING);
        String willPayload = ofLength("", MAX_STRING);
        RawClient willer = broker.raw().connectAccepted(Packets.connect(ofLength("c", MAX_STRING))
                .will(willTopic, willPayload, 0, false).credentials(ofLength("u", MAX_STRING), ofLength("p", MAX_STRING)));

        willer.close();

        Packet will = subscriber.expect(PacketType.PUBLISH);
        assertThat(will.topic()).isEqualTo(willTopic);
        assertThat(will.payload()).isEqualTo(willPayload);
    }

    @Test
    @DisplayName("a topic filter of 65,535 bytes is granted, matched and unsubscribed")
    void longestFilterIsGrantedAndMatched() {
        String topic = ofLength("f/", MAX_STRING);
        RawClient subscriber = broker.rawConnected("subscriber", true);
        subscriber.send(Packets.subscribe(1, topic, 1));
        assertThat(subscriber.expect(PacketType.SUBACK).subackReturnCodes()).containsExactly(1);

        broker.rawConnected("publisher", true).send(Packets.publish(topic, "p", 1, 1)).expect(PacketType.PUBACK);
        assertThat(subscriber.expect(PacketType.PUBLISH).topic()).isEqualTo(topic);
        subscriber.send(Packets.unsubscribe(2, topic)).expect(PacketType.UNSUBACK);
    }

    /**
     * One byte past a string's maximum cannot be expressed: a client that writes 65,536 bytes anyway puts 0 in the
     * two-byte length (it wraps), so the broker reads an empty field followed by bytes that belong to nothing. That
     * connection is closed without CONNACK, and nothing of it is delivered or kept.
     */
    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"client id", "will topic", "user name", "password"})
    @DisplayName("one byte past the maximum in a CONNECT field (its length wraps to 0): closed without CONNACK")
    void connectFieldOnePastTheMaximumIsRefused(String field) throws Exception {
        RawClient subscriber = broker.rawConnected("subscriber", true).subscribe("#", 0);
        int flags = 0x02 | switch (field) {
            case "will topic" -> 0x04;
            case "user name" -> 0x80;
            case "password" -> 0x80 | 0x40;
            default -> 0;
        };
        PacketBody body = new PacketBody().string("MQTT").u8(4)
                .u8(flags).u16(60);
        body = field.equals("client id") ? wrapped(body) : body.string("one-past");
        if (field.equals("will topic")) {
            wrapped(body).string("payload");
        } else if (field.equals("user name")) {
            wrapped(body).string("password");
        } else if (field.equals("password")) {
            wrapped(body.string("user"));
        }

        RawClient client = broker.raw().send(body.packet(PacketType.CONNECT << 4));

        assertThat(client.nextUnlessClosed()).as("packet before the close").isEmpty();
        subscriber.expectNothingFor(Duration.ofMillis(300));
        assertThat(broker.broker().clients()).noneMatch(c -> !c.clientId().equals("subscriber"));
    }

    @Test
    @DisplayName("one byte past the maximum in a PUBLISH topic (its length wraps to 0): closed, nothing delivered")
    void topicOnePastTheMaximumIsRefused() {
        RawClient subscriber = broker.rawConnected("subscriber", true).subscribe("#", 0);
        RawClient publisher = broker.rawConnected("publisher", true);

        publisher.send(wrapped(new PacketBody()).u16(1).bytes("payload".getBytes())
                .packet(PacketType.PUBLISH << 4 | 1 << 1));

        publisher.expectClosedByBroker();
        subscriber.expectNothingFor(Duration.ofMillis(300));
    }

    /** A string of 65,536 bytes as a client whose length field overflows writes it: length 0, then the bytes. */
    static PacketBody wrapped(PacketBody body) {
        return body.u16((MAX_STRING + 1) & 0xFFFF).bytes("x".repeat(MAX_STRING + 1).getBytes());
    }

    /** {@code prefix} followed by as many 'x' as make {@code bytes} bytes of UTF-8. */
    static String ofLength(String prefix, int bytes) {
        return prefix + "x".repeat(bytes - prefix.length());
    }
}
