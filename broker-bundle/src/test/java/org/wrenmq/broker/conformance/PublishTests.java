package org.wrenmq.broker.conformance;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.stream.IntStream;

import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.wrenmq.broker.testing.PacketType;

/** OASIS MQTT 3.1.1 chapters 3.3-3.7 (PUBLISH and its acknowledgements) and 4.3 (QoS levels and flows). */
@DisplayName("3.3-3.7 PUBLISH, PUBACK, PUBREC, PUBREL, PUBCOMP; 4.3 QoS flows")
class PublishTests {
    @RegisterExtension
    final BrokerExtension broker = new BrokerExtension();

    @ParameterizedTest(name = "MQTT version {0}, QoS {1}")
    @CsvSource({"3, 0", "3, 1", "3, 2", "4, 0", "4, 1", "4, 2"})
    @DisplayName("[MQTT-4.3.1-1] [MQTT-4.3.2-1] [MQTT-4.3.2-2] [MQTT-4.3.3-1] [MQTT-4.3.3-2] Paho 3.1 and 3.1.1 clients exchange a message at each QoS")
    void messageFlowsBetweenPahoClientsAtEachQos(int mqttVersion, int qos) throws Exception {
        PahoClient subscriber = broker.paho("sub").connect(mqttVersion, true);
        PahoClient publisher = broker.paho("pub").connect(mqttVersion, true);
        assertThat(subscriber.subscribe("floor-5/temperature", qos)).isEqualTo(qos);

        publisher.publish("floor-5/temperature", "15", qos);

        assertThat(subscriber.next()).isEqualTo(new Received("floor-5/temperature", "15", qos, false, false));
    }

    @ParameterizedTest(name = "payload of {0} bytes")
    @CsvSource({"12", "100000"})
    @DisplayName("[MQTT-3.3.1-9] [MQTT-3.3.1-8] [MQTT-3.3.5-1] a QoS 0 message to many subscribers reaches each whole, RETAIN set only for the retained copy")
    void qos0FanOutReachesEverySubscriberIntact(int payloadSize) throws Exception {
        List<PahoClient> subscribers = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            PahoClient s = broker.pahoConnected("sub-" + i);
            s.subscribe("fan/#", 0);
            subscribers.add(s);
        }
        PahoClient publisher = broker.pahoConnected("pub");
        String first = "a".repeat(payloadSize);
        String second = "b".repeat(payloadSize);

        publisher.publish("fan/out", first, 0, true);
        publisher.publish("fan/out", second, 0, false);

        for (PahoClient s : subscribers) {
            assertThat(s.next(2)).containsExactly(new Received("fan/out", first, 0, false, false),
                    new Received("fan/out", second, 0, false, false));
        }
        PahoClient late = broker.pahoConnected("late");
        late.subscribe("fan/#", 0);
        assertThat(late.next()).isEqualTo(new Received("fan/out", first, 0, true, false));
    }

    @Test
    @DisplayName("[MQTT-4.3.2-2] [MQTT-2.3.1-6] a QoS 1 PUBLISH is acknowledged by a PUBACK with its packet id")
    void qos1PublishIsAcknowledgedWithPuback() {
        RawClient publisher = broker.rawConnected("pub", true);

        publisher.send(Packets.publish("a/b", "one", 1, 4242));

        assertThat(publisher.expect(PacketType.PUBACK).packetId()).isEqualTo(4242);
    }

    @Test
    @DisplayName("[MQTT-4.3.3-2] [MQTT-2.3.1-6] QoS 2 inbound: PUBREC, then PUBCOMP for the PUBREL; a resent PUBLISH is delivered once")
    void qos2PublishFlowDeliversExactlyOnce() throws Exception {
        PahoClient subscriber = broker.pahoConnected("sub");
        subscriber.subscribe("a/b", 2);
        RawClient publisher = broker.rawConnected("pub", true);

        publisher.send(Packets.publish("a/b", "once", 2, 7));
        assertThat(publisher.expect(PacketType.PUBREC).packetId()).isEqualTo(7);
        publisher.send(Packets.publish(Packets.utf8("a/b"), Packets.utf8("once"), 2, false, true, 7));
        assertThat(publisher.expect(PacketType.PUBREC).packetId()).isEqualTo(7);
        publisher.send(Packets.pubrel(7));
        assertThat(publisher.expect(PacketType.PUBCOMP).packetId()).isEqualTo(7);
        publisher.send(Packets.publish("a/b", "sentinel", 2, 8));
        publisher.expect(PacketType.PUBREC);
        publisher.send(Packets.pubrel(8));
        publisher.expect(PacketType.PUBCOMP);

        assertThat(subscriber.next().payload()).isEqualTo("once");
        assertThat(subscriber.next().payload()).as("the resent PUBLISH is not delivered again").isEqualTo("sentinel");
    }

    @Test
    @DisplayName("[MQTT-2.3.1-1] [MQTT-4.3.2-1] QoS 1 outbound: a PUBLISH with a non-zero packet id and DUP 0, until PUBACK")
    void qos1DeliveryToSubscriber() throws Exception {
        RawClient subscriber = broker.rawConnected("sub", true).subscribe("a/b", 1);
        PahoClient publisher = broker.pahoConnected("pub");

        publisher.publish("a/b", "one", 1);

        Packet publish = subscriber.expect(PacketType.PUBLISH);
        assertThat(publish.qos()).isEqualTo(1);
        assertThat(publish.packetId()).isNotZero();
        assertThat(publish.dup()).isFalse();
        assertThat(publish.payload()).isEqualTo("one");
        subscriber.send(Packets.puback(publish.packetId()));
        publisher.publish("a/b", "two", 1);
        assertThat(subscriber.expect(PacketType.PUBLISH).payload()).isEqualTo("two");
    }

    @Test
    @DisplayName("[MQTT-4.3.3-1] [MQTT-3.6.1-1] QoS 2 outbound: PUBLISH, PUBREC, then a PUBREL (flags 0010) with the same id, PUBCOMP")
    void qos2DeliveryToSubscriber() throws Exception {
        RawClient subscriber = broker.rawConnected("sub", true).subscribe("a/b", 2);
        PahoClient publisher = broker.pahoConnected("pub");

        publisher.publish("a/b", "two", 2);

        Packet publish = subscriber.expect(PacketType.PUBLISH);
        assertThat(publish.qos()).isEqualTo(2);
        assertThat(publish.packetId()).isNotZero();
        subscriber.send(Packets.pubrec(publish.packetId()));
        Packet pubrel = subscriber.expect(PacketType.PUBREL);
        assertThat(pubrel.flags()).isEqualTo(0b0010);
        assertThat(pubrel.packetId()).isEqualTo(publish.packetId());
        subscriber.send(Packets.pubcomp(publish.packetId()));
        publisher.publish("a/b", "three", 2);
        assertThat(subscriber.expect(PacketType.PUBLISH).payload()).isEqualTo("three");
    }

    @Test
    @DisplayName("[MQTT-3.3.1-2] a QoS 0 PUBLISH has DUP 0")
    void qos0PublishHasDupZero() throws Exception {
        RawClient subscriber = broker.rawConnected("sub", true).subscribe("a/b", 0);

        broker.pahoConnected("pub").publish("a/b", "zero", 0);

        Packet publish = subscriber.expect(PacketType.PUBLISH);
        assertThat(publish.qos()).isZero();
        assertThat(publish.dup()).isFalse();
    }

    @Test
    @DisplayName("[MQTT-3.3.1-3] the DUP flag of an incoming PUBLISH is not passed on to subscribers")
    void incomingDupFlagIsNotPropagated() {
        RawClient subscriber = broker.rawConnected("sub", true).subscribe("a/b", 1);
        RawClient publisher = broker.rawConnected("pub", true);

        publisher.send(Packets.publish(Packets.utf8("a/b"), Packets.utf8("again"), 1, false, true, 3));
        publisher.expect(PacketType.PUBACK);

        Packet publish = subscriber.expect(PacketType.PUBLISH);
        assertThat(publish.payload()).isEqualTo("again");
        assertThat(publish.dup()).isFalse();
    }

    @ParameterizedTest(name = "published at QoS {0}, subscribed at QoS {1}: delivered at QoS {2}")
    @CsvSource({"2, 0, 0", "2, 1, 1", "1, 0, 0", "0, 2, 0", "1, 2, 1"})
    @DisplayName("[MQTT-3.8.4-6] a message is delivered at the minimum of its QoS and the granted QoS")
    void deliveredQosIsTheMinimumOfPublishedAndGranted(int publishedQos, int subscribedQos, int deliveredQos)
            throws Exception {
        PahoClient subscriber = broker.pahoConnected("sub");
        subscriber.subscribe("q/t", subscribedQos);

        broker.pahoConnected("pub").publish("q/t", "m", publishedQos);

        assertThat(subscriber.next().qos()).isEqualTo(deliveredQos);
    }

    @Test
    @DisplayName("[MQTT-4.6.0-5] [MQTT-4.6.0-6] QoS 1 messages on one topic arrive in the order they were published")
    void messagesOnOneTopicArriveInOrder() throws Exception {
        PahoClient subscriber = broker.pahoConnected("sub");
        subscriber.subscribe("ordered", 1);
        PahoClient publisher = broker.pahoConnected("pub");
        List<String> sent = IntStream.range(0, 200).mapToObj(Integer::toString).toList();

        for (String payload : sent) {
            publisher.publish("ordered", payload, 1);
        }

        assertThat(subscriber.next(sent.size())).extracting(Received::payload).containsExactlyElementsOf(sent);
    }
}
