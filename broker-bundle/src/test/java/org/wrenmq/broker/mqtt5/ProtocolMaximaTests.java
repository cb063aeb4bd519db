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

    private static String ofLength(String prefix, int bytes) {
        return prefix + "x".repeat(bytes - prefix.length());
    }
}
