package org.wrenmq.broker.mqtt5;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.wrenmq.broker.testing.PacketBody;
import org.wrenmq.broker.testing.PacketType;

/**
 * Every length MQTT 5 allows works, up to the protocol's maximum: UTF-8 strings, string pairs and binary data
 * carry a two-byte length, so 65,535 bytes is the most a client can express [MQTT 5.0 section 1.5.4, 1.5.6,
 * 1.5.7]. Payloads are bounded by {@code message_size_limit}, tested at it and one past it.
 */
@DisplayName("Protocol maxima: longest topics, will topics, client ids, credentials, user properties (MQTT 5)")
class ProtocolMaximaTests {
    private static final int MAX_STRING = 65_535;
    private static final int PACKET_TOO_LARGE = 0x95;

    @RegisterExtension
    final Mqtt5Broker broker = new Mqtt5Broker();

    @ParameterizedTest(name = "will topic of {0} bytes")
    @ValueSource(ints = {32_767, 32_768, MAX_STRING})
    @DisplayName("a will topic up to 65,535 bytes, with will properties, is accepted and the will published there")
    void longWillTopicIsPublished(int length) {
        RawClient5 subscriber = broker.rawConnected("subscriber").subscribe("w/#", 0);
        String topic = ofLength("w/", length);
        RawClient5 willer = broker.raw().connectAccepted(Wire.connect("willer")
                .will(topic, "gone", 0, false, Properties.none().add(Property.CONTENT_TYPE, "text/plain")));

        willer.close();

        Frame will = subscriber.expect(PacketType.PUBLISH);
        assertThat(will.topic()).isEqualTo(topic);
        assertThat(will.properties().string(Property.CONTENT_TYPE)).contains("text/plain");
    }

    @Test
    @DisplayName("a client id, user name and password of 65,535 bytes each are accepted")
    void longestClientIdAndCredentialsAreAccepted() {
        String clientId = ofLength("c", MAX_STRING);
        byte[] connect = new PacketBody().string("MQTT").u8(5).u8(0x02 | 0x40 | 0x80).u16(60)
                .bytes(Wire.properties(Properties.none())).string(clientId)
                .string(ofLength("u", MAX_STRING)).string(ofLength("p", MAX_STRING)).packet(PacketType.CONNECT << 4);

        Frame connack = broker.raw().send(connect).expect(PacketType.CONNACK);

        assertThat(connack.reasonCode()).isZero();
        assertThat(broker.broker().clients()).anyMatch(c -> c.clientId().equals(clientId));
    }

    @Test
    @DisplayName("a topic of 65,535 bytes and a user property whose name and value are 65,535 bytes each are delivered")
    void longestTopicAndUserPropertyAreDelivered() {
        RawClient5 subscriber = broker.rawConnected("subscriber").subscribe("t/#", 1);
        String topic = ofLength("t/", MAX_STRING);
        String name = ofLength("n", MAX_STRING);
        String value = ofLength("v", MAX_STRING);

        broker.rawConnected("publisher").send(Wire.publish(topic, "p".getBytes(), 1, false, 1,
                Properties.none().user(name, value))).expect(PacketType.PUBACK);

        Frame delivered = subscriber.expect(PacketType.PUBLISH);
        assertThat(delivered.topic()).isEqualTo(topic);
        assertThat(delivered.properties().userProperties()).containsExactly(name + "=" + value);
    }

    @Test
    @DisplayName("message_size_limit: a payload of exactly the limit is delivered, one byte more gets DISCONNECT 0x95")
    void payloadAtTheLimitIsDeliveredOnePastIsRefused() {
        broker.set("message_size_limit", "1000");
        RawClient5 subscriber = broker.rawConnected("subscriber").subscribe("size", 1);
        RawClient5 publisher = broker.rawConnected("publisher");

        publisher.send(Wire.publish("size", ofLength("", 1000), 1, 1)).expect(PacketType.PUBACK);
        assertThat(subscriber.expect(PacketType.PUBLISH).payload()).hasSize(1000);
        publisher.send(Wire.publish("size", ofLength("", 1001), 1, 2));

        assertThat(publisher.expectDisconnect().reasonCode()).isEqualTo(PACKET_TOO_LARGE);
        assertThat(broker.counter("messages.refused.message_size_limit")).isEqualTo(1);
    }

    @Test
    @DisplayName("with message_size_limit set, a CONNECT with every string, binary and property at 65,535 bytes is accepted, its will published whole")
    void everyConnectFieldAtItsMaximumAtOnce() {
        broker.set("message_size_limit", Integer.toString(MAX_STRING));
        RawClient5 subscriber = broker.rawConnected("subscriber").subscribe("w/#", 0);
        String willTopic = ofLength("w/", MAX_STRING);
        byte[] correlation = ofLength("", MAX_STRING).getBytes();
        Properties willProperties = Properties.none().add(Property.CONTENT_TYPE, ofLength("t", MAX_STRING))
                .add(Property.RESPONSE_TOPIC, ofLength("r", MAX_STRING)).add(Property.CORRELATION_DATA, correlation)
                .user(ofLength("n", MAX_STRING), ofLength("v", MAX_STRING));
        byte[] connect = new PacketBody().string("MQTT").u8(5).u8(0x02 | 0x04 | 0x40 | 0x80).u16(60)
                .bytes(Wire.properties(Properties.none().user(ofLength("a", MAX_STRING), ofLength("b", MAX_STRING))))
                .string(ofLength("c", MAX_STRING))
                .bytes(Wire.properties(willProperties)).string(willTopic).binary(correlation)
                .string(ofLength("u", MAX_STRING)).string(ofLength("p", MAX_STRING)).packet(PacketType.CONNECT << 4);
        RawClient5 willer = broker.raw().send(connect);
        assertThat(willer.expect(PacketType.CONNACK).reasonCode()).isZero();

        willer.close();

        Frame will = subscriber.expect(PacketType.PUBLISH);
        assertThat(will.topic()).isEqualTo(willTopic);
        assertThat(will.payload()).hasSize(MAX_STRING);
        assertThat(will.properties().string(Property.CONTENT_TYPE)).contains(ofLength("t", MAX_STRING));
        assertThat(will.properties().string(Property.RESPONSE_TOPIC)).contains(ofLength("r", MAX_STRING));
        assertThat(will.properties().binary(Property.CORRELATION_DATA)).hasValue(correlation);
        assertThat(will.properties().userProperties()).hasSize(1);
    }

    @Test
    @DisplayName("a PUBLISH with topic, content type, response topic, correlation data and user property at 65,535 bytes and a payload at message_size_limit is delivered whole")
    void publishWithEveryPropertyAtItsMaximumAndPayloadAtTheLimit() {
        broker.set("message_size_limit", "1000");
        RawClient5 subscriber = broker.rawConnected("subscriber").subscribe("t/#", 1);
        String topic = ofLength("t/", MAX_STRING);
        byte[] correlation = ofLength("", MAX_STRING).getBytes();
        Properties properties = Properties.none().add(Property.CONTENT_TYPE, ofLength("t", MAX_STRING))
                .add(Property.RESPONSE_TOPIC, ofLength("r/", MAX_STRING)).add(Property.CORRELATION_DATA, correlation)
                .user(ofLength("n", MAX_STRING), ofLength("v", MAX_STRING));

        broker.rawConnected("publisher").send(Wire.publish(topic, ofLength("", 1000).getBytes(), 1, false, 1,
                properties)).expect(PacketType.PUBACK);

        Frame delivered = subscriber.expect(PacketType.PUBLISH);
        assertThat(delivered.topic()).isEqualTo(topic);
        assertThat(delivered.payload()).hasSize(1000);
        assertThat(delivered.properties().string(Property.RESPONSE_TOPIC)).contains(ofLength("r/", MAX_STRING));
        assertThat(delivered.properties().binary(Property.CORRELATION_DATA)).hasValue(correlation);
        assertThat(delivered.properties().userProperties())
                .containsExactly(ofLength("n", MAX_STRING) + "=" + ofLength("v", MAX_STRING));
    }

    @Test
    @DisplayName("a topic filter of 65,535 bytes with a 65,535-byte user property is granted and matched")
    void longestFilterIsGrantedAndMatched() {
        String topic = ofLength("f/", MAX_STRING);
        RawClient5 subscriber = broker.rawConnected("subscriber");
        subscriber.send(Wire.subscribe(1, topic, 1, Properties.none().user(ofLength("n", MAX_STRING), "v")));
        assertThat(subscriber.expect(PacketType.SUBACK).reasonCodes()).containsExactly(1);

        broker.rawConnected("publisher").send(Wire.publish(topic, "p", 1, 1)).expect(PacketType.PUBACK);

        assertThat(subscriber.expect(PacketType.PUBLISH).topic()).isEqualTo(topic);
    }

    /**
     * One byte past a string's maximum cannot be expressed: written anyway, its two-byte length wraps to 0 and
     * what follows belongs to no field. The broker answers DISCONNECT with an error and delivers nothing.
     */
    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"topic", "user property name"})
    @DisplayName("one byte past the maximum in a PUBLISH (its length wraps to 0): DISCONNECT with an error, nothing delivered")
    void publishFieldOnePastTheMaximumIsRefused(String field) {
        RawClient5 subscriber = broker.rawConnected("subscriber").subscribe("#", 0);
        RawClient5 publisher = broker.rawConnected("publisher");
        PacketBody body = new PacketBody();
        if (field.equals("topic")) {
            wrapped(body).u16(1).bytes(Wire.properties(Properties.none()));
        } else {
            PacketBody property = wrapped(new PacketBody().u8(0x26)).string("v");
            body.string("t").u16(1).variableByteInteger(property.toByteArray().length).bytes(property.toByteArray());
        }

        publisher.send(body.bytes("payload".getBytes()).packet(PacketType.PUBLISH << 4 | 1 << 1));

        assertThat(publisher.expectDisconnect().reasonCode()).isGreaterThanOrEqualTo(0x80);
        subscriber.expectNothingFor(java.time.Duration.ofMillis(300));
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"client id", "password"})
    @DisplayName("one byte past the maximum in a CONNECT field (its length wraps to 0): no CONNACK 0, nobody connected")
    void connectFieldOnePastTheMaximumIsRefused(String field) {
        boolean password = field.equals("password");
        PacketBody body = new PacketBody().string("MQTT").u8(5).u8(0x02 | (password ? 0xC0 : 0)).u16(60)
                .bytes(Wire.properties(Properties.none()));
        if (password) {
            wrapped(body.string("one-past").string("user"));
        } else {
            wrapped(body);
        }

        RawClient5 client = broker.raw().send(body.packet(PacketType.CONNECT << 4));

        client.nextUnlessClosed().ifPresent(refusal -> assertThat(refusal.reasonCode()).as("CONNACK before the close")
                .isGreaterThanOrEqualTo(0x80));
        assertThat(broker.broker().clients()).isEmpty();
    }

    /** A string of 65,536 bytes as a client whose length field overflows writes it: length 0, then the bytes. */
    private static PacketBody wrapped(PacketBody body) {
        return body.u16((MAX_STRING + 1) & 0xFFFF).bytes("x".repeat(MAX_STRING + 1).getBytes());
    }

    private static String ofLength(String prefix, int bytes) {
        return prefix + "x".repeat(bytes - prefix.length());
    }
}
