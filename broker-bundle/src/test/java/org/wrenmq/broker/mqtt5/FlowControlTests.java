package org.wrenmq.broker.mqtt5;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;

import org.eclipse.paho.mqttv5.client.MqttConnectionOptions;
import org.eclipse.paho.mqttv5.common.MqttException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.wrenmq.broker.testing.PacketType;

/**
 * Receive Maximum and Maximum Packet Size in the broker-to-client direction (the client-to-broker direction, 0x93
 * and 0x95: {@link ServerDisconnectTests}).
 */
class FlowControlTests {
    private static final Duration QUIET = Duration.ofMillis(500);

    @RegisterExtension
    final Mqtt5Broker broker = new Mqtt5Broker();

    /** [MQTT-3.3.4-9]: never more unacknowledged QoS 1 messages to a client than its Receive Maximum. */
    @Test
    void brokerHonoursTheClientsReceiveMaximum() {
        RawClient5 subscriber = broker.raw().connectAccepted(Wire.connect("rm-2")
                .property(Property.RECEIVE_MAXIMUM, 2));
        subscriber.subscribe("rm/t", 1);
        publishQos1("rm/t", 5);

        Frame m1 = subscriber.expect(PacketType.PUBLISH);
        Frame m2 = subscriber.expect(PacketType.PUBLISH);
        subscriber.expectNothingFor(QUIET);
        subscriber.send(Wire.puback(m1.packetId()));
        Frame m3 = subscriber.expect(PacketType.PUBLISH);
        subscriber.expectNothingFor(QUIET);
        subscriber.send(Wire.puback(m2.packetId()), Wire.puback(m3.packetId()));
        Frame m4 = subscriber.expect(PacketType.PUBLISH);
        Frame m5 = subscriber.expect(PacketType.PUBLISH);

        assertThat(new Frame[] {m1, m2, m3, m4, m5}).extracting(Frame::payload)
                .containsExactly("0", "1", "2", "3", "4");
    }

    /** [MQTT-3.3.4-10]: a full window holds back PUBLISH only: PINGRESP and SUBACK still come at once. */
    @Test
    void otherPacketsAreNotHeldBackByAFullWindow() {
        RawClient5 subscriber = broker.raw().connectAccepted(Wire.connect("rm-1")
                .property(Property.RECEIVE_MAXIMUM, 1));
        subscriber.subscribe("rm/full", 1);
        publishQos1("rm/full", 3);
        Frame held = subscriber.expect(PacketType.PUBLISH);

        subscriber.send(Wire.pingreq());
        subscriber.expect(PacketType.PINGRESP);
        subscriber.send(Wire.subscribe(2, "rm/other", 1));
        assertThat(subscriber.expect(PacketType.SUBACK).reasonCodes()).containsExactly(1);
        subscriber.send(Wire.puback(held.packetId()));
        assertThat(subscriber.expect(PacketType.PUBLISH).payload()).isEqualTo("1");
    }

    /** [MQTT-3.3.4-9]: Paho's Receive Maximum is honoured too (it acknowledges as it goes; all arrive in order). */
    @Test
    void pahoWithSmallReceiveMaximumGetsEverythingInOrder() throws MqttException {
        MqttConnectionOptions options = Paho5.options();
        options.setReceiveMaximum(3);
        Paho5 subscriber = broker.paho("rm-paho");
        subscriber.connect(options);
        subscriber.subscribe("rm/paho", 1);

        publishQos1("rm/paho", 30);

        assertThat(subscriber.next(30)).extracting(Paho5.Received::payload)
                .containsExactlyElementsOf(java.util.stream.IntStream.range(0, 30).mapToObj(String::valueOf).toList());
    }

    /**
     * [MQTT-3.1.2-24] [MQTT-3.1.2-25]: a message larger than the client's Maximum Packet Size is not sent, is
     * counted, and is treated as delivered: the next message still flows through a window of one.
     */
    @Test
    void messageLargerThanTheClientAcceptsIsNotSent() {
        RawClient5 subscriber = broker.raw().connectAccepted(Wire.connect("small")
                .property(Property.MAXIMUM_PACKET_SIZE, 200).property(Property.RECEIVE_MAXIMUM, 1));
        subscriber.subscribe("mps/t", 1);
        RawClient5 publisher = broker.rawConnected("mps-pub");

        publisher.send(Wire.publish("mps/t", "x".repeat(500), 1, 1), Wire.publish("mps/t", "fits", 1, 2));
        publisher.expect(PacketType.PUBACK);
        publisher.expect(PacketType.PUBACK);

        Frame delivered = subscriber.expect(PacketType.PUBLISH);
        assertThat(delivered.payload()).isEqualTo("fits");
        subscriber.send(Wire.puback(delivered.packetId()));
        subscriber.expectNothingFor(QUIET);
        assertThat(broker.counter("messages.dropped.too_large_for_client")).isEqualTo(1);
    }

    /** [MQTT-3.1.2-24]: a packet exactly at the client's limit is sent; one byte more is not. */
    @Test
    void limitIsTheWholePacketSize() {
        RawClient5 subscriber = broker.raw().connectAccepted(Wire.connect("exact")
                .property(Property.MAXIMUM_PACKET_SIZE, 100));
        subscriber.subscribe("e/t", 0);
        RawClient5 publisher = broker.rawConnected("exact-pub");
        // QoS 0 PUBLISH to a client without aliases: 1 type byte + 1 length byte + 2 + 3 topic bytes + 1 property length
        int fitting = 100 - (1 + 1 + 2 + 3 + 1);

        publisher.send(Wire.publish("e/t", "a".repeat(fitting), 0, 0), Wire.publish("e/t", "b".repeat(fitting + 1), 0, 0),
                Wire.publish("e/t", "end", 0, 0));

        assertThat(subscriber.expect(PacketType.PUBLISH).payload()).hasSize(fitting);
        assertThat(subscriber.expect(PacketType.PUBLISH).payload()).isEqualTo("end");
    }

    /** [MQTT-3.1.2-24]: Paho with a Maximum Packet Size receives the small messages and none of the large. */
    @Test
    void pahoWithMaximumPacketSize() throws MqttException {
        MqttConnectionOptions options = Paho5.options();
        options.setMaximumPacketSize(1024L);
        Paho5 subscriber = broker.paho("mps-paho");
        subscriber.connect(options);
        subscriber.subscribe("mps/paho", 1);
        Paho5 publisher = broker.paho("mps-paho-pub").connect();

        publisher.publish("mps/paho", "small", 1);
        publisher.publish("mps/paho", "L".repeat(5000), 1);
        publisher.publish("mps/paho", "small again", 1);

        assertThat(subscriber.next(2)).extracting(Paho5.Received::payload).containsExactly("small", "small again");
        subscriber.expectNothingFor(QUIET);
        assertThat(broker.counter("messages.dropped.too_large_for_client")).isEqualTo(1);
    }

    private void publishQos1(String topic, int count) {
        RawClient5 publisher = broker.rawConnected("pub-" + System.nanoTime());
        for (int i = 0; i < count; i++) {
            publisher.send(Wire.publish(topic, String.valueOf(i), 1, i + 1));
            publisher.expect(PacketType.PUBACK);
        }
    }
}
