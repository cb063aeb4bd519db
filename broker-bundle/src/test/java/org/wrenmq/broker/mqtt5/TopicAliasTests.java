package org.wrenmq.broker.mqtt5;

import static org.assertj.core.api.Assertions.assertThat;

import org.eclipse.paho.mqttv5.common.MqttException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.wrenmq.broker.testing.PacketType;

/**
 * Topic aliases both ways: the client's towards the broker, bounded by max_topic_alias, and the broker's towards a
 * client that allows them.
 */
class TopicAliasTests {
    @RegisterExtension
    final Mqtt5Broker broker = new Mqtt5Broker();

    /** [MQTT-3.3.2-12]: an alias set with a topic then stands for that topic. */
    @Test
    void inboundAliasStandsForItsTopic() {
        RawClient5 subscriber = broker.rawConnected("ta-sub").subscribe("ta/#", 0);
        RawClient5 publisher = broker.rawConnected("ta-pub");

        publisher.send(Wire.publish("ta/long/topic", "set".getBytes(), 0, false, 0, alias(1)));
        publisher.send(Wire.publish("", "used".getBytes(), 0, false, 0, alias(1)));
        publisher.send(Wire.publish("ta/other", "reset".getBytes(), 0, false, 0, alias(1)));
        publisher.send(Wire.publish("", "reused".getBytes(), 0, false, 0, alias(1)));

        assertThat(topicAndPayload(subscriber.expect(PacketType.PUBLISH))).isEqualTo("ta/long/topic set");
        assertThat(topicAndPayload(subscriber.expect(PacketType.PUBLISH))).isEqualTo("ta/long/topic used");
        assertThat(topicAndPayload(subscriber.expect(PacketType.PUBLISH))).isEqualTo("ta/other reset");
        assertThat(topicAndPayload(subscriber.expect(PacketType.PUBLISH))).isEqualTo("ta/other reused");
    }

    /** [MQTT-3.2.2-17] section 3.3.2.3.4: an alias above the announced maximum is refused with 0x94. */
    @Test
    void aliasAboveTheMaximumIsRefused() {
        broker.set("max_topic_alias", "2");
        RawClient5 publisher = broker.raw();
        assertThat(publisher.connect(Wire.connect("ta-over")).properties().number(Property.TOPIC_ALIAS_MAXIMUM))
                .contains(2L);

        publisher.send(Wire.publish("ta/x", "x".getBytes(), 0, false, 0, alias(3)));

        assertThat(publisher.expectDisconnect().reasonCode()).isEqualTo(0x94);
    }

    /** Section 3.3.2.3.4: alias 0 is not permitted: 0x94. */
    @Test
    void aliasZeroIsRefused() {
        RawClient5 publisher = broker.rawConnected("ta-zero");

        publisher.send(Wire.publish("ta/x", "x".getBytes(), 0, false, 0, alias(0)));

        assertThat(publisher.expectDisconnect().reasonCode()).isEqualTo(0x94);
    }

    /** [MQTT-3.2.2-18]: with max_topic_alias 0 no alias is accepted. */
    @Test
    void noAliasesWhenTheMaximumIsZero() {
        broker.set("max_topic_alias", "0");
        RawClient5 publisher = broker.raw();
        assertThat(publisher.connect(Wire.connect("ta-none")).properties().number(Property.TOPIC_ALIAS_MAXIMUM)
                .orElse(0L)).isZero();

        publisher.send(Wire.publish("ta/x", "x".getBytes(), 0, false, 0, alias(1)));

        assertThat(publisher.expectDisconnect().reasonCode()).isEqualTo(0x94);
    }

    /** Section 3.3.4: an alias used before it was set is a protocol error (0x82). */
    @Test
    void unknownAliasIsAProtocolError() {
        RawClient5 publisher = broker.rawConnected("ta-unknown");

        publisher.send(Wire.publish("", "x".getBytes(), 0, false, 0, alias(1)));

        assertThat(publisher.expectDisconnect().reasonCode()).isEqualTo(0x82);
    }

    /** [MQTT-3.3.2-7]: aliases do not carry over to the next connection. */
    @Test
    void aliasesDoNotOutliveTheConnection() {
        RawClient5 first = broker.raw().connectAccepted(Wire.connect("ta-again").sessionExpiry(60));
        first.send(Wire.publish("ta/x", "x".getBytes(), 1, false, 1, alias(1)));
        first.expect(PacketType.PUBACK);
        first.send(Wire.disconnect());

        RawClient5 second = broker.raw().connectAccepted(Wire.connect("ta-again").cleanStart(false)
                .sessionExpiry(60));
        second.send(Wire.publish("", "y".getBytes(), 0, false, 0, alias(1)));

        assertThat(second.expectDisconnect().reasonCode()).isEqualTo(0x82);
    }

    /**
     * [MQTT-3.1.2-26] [MQTT-3.3.2-10]: the broker assigns aliases up to the client's maximum: the first message on a
     * topic carries topic and alias, later ones the alias alone; topics beyond the maximum go by name.
     */
    @Test
    void brokerAssignsAliasesUpToTheClientsMaximum() {
        RawClient5 subscriber = broker.raw().connectAccepted(Wire.connect("ta-out")
                .property(Property.TOPIC_ALIAS_MAXIMUM, 2));
        subscriber.subscribe("out/#", 0);
        RawClient5 publisher = broker.rawConnected("ta-out-pub");

        for (String topic : new String[] {"out/a", "out/b", "out/c", "out/a", "out/b", "out/c"}) {
            publisher.send(Wire.publish(topic, topic, 0, 0));
        }

        Frame a1 = subscriber.expect(PacketType.PUBLISH);
        Frame b1 = subscriber.expect(PacketType.PUBLISH);
        Frame c1 = subscriber.expect(PacketType.PUBLISH);
        Frame a2 = subscriber.expect(PacketType.PUBLISH);
        Frame b2 = subscriber.expect(PacketType.PUBLISH);
        Frame c2 = subscriber.expect(PacketType.PUBLISH);
        long aliasA = a1.properties().number(Property.TOPIC_ALIAS).orElseThrow();
        long aliasB = b1.properties().number(Property.TOPIC_ALIAS).orElseThrow();
        assertThat(a1.topic()).isEqualTo("out/a");
        assertThat(b1.topic()).isEqualTo("out/b");
        assertThat(aliasA).isBetween(1L, 2L);
        assertThat(aliasB).isBetween(1L, 2L).isNotEqualTo(aliasA);
        assertThat(c1.topic()).isEqualTo("out/c");
        assertThat(c1.properties().has(Property.TOPIC_ALIAS)).as("no third alias [MQTT-3.1.2-26]").isFalse();
        assertThat(a2.topic()).isEmpty();
        assertThat(a2.properties().number(Property.TOPIC_ALIAS)).contains(aliasA);
        assertThat(a2.payload()).isEqualTo("out/a");
        assertThat(b2.topic()).isEmpty();
        assertThat(b2.properties().number(Property.TOPIC_ALIAS)).contains(aliasB);
        assertThat(c2.topic()).isEqualTo("out/c");
    }

    /** [MQTT-3.3.2-7]: the broker's aliases start afresh on a new connection: the first message names its topic. */
    @Test
    void brokerAliasesStartAfreshOnANewConnection() {
        Wire.Connect connect = Wire.connect("ta-resume").sessionExpiry(60).property(Property.TOPIC_ALIAS_MAXIMUM, 2);
        RawClient5 first = broker.raw().connectAccepted(connect);
        first.subscribe("resume/t", 0);
        RawClient5 publisher = broker.rawConnected("ta-resume-pub");
        publisher.send(Wire.publish("resume/t", "1", 0, 0), Wire.publish("resume/t", "2", 0, 0));
        assertThat(first.expect(PacketType.PUBLISH).topic()).isEqualTo("resume/t");
        assertThat(first.expect(PacketType.PUBLISH).topic()).as("aliased").isEmpty();
        first.send(Wire.disconnect());

        RawClient5 second = broker.raw().connectAccepted(connect.cleanStart(false));
        publisher.send(Wire.publish("resume/t", "3", 0, 0));

        Frame f = second.expect(PacketType.PUBLISH);
        assertThat(f.topic()).isEqualTo("resume/t");
        assertThat(f.payload()).isEqualTo("3");
    }

    /** [MQTT-3.1.2-27]: a client that did not allow aliases never gets one. */
    @Test
    void noAliasesToAClientThatDoesNotAllowThem() {
        RawClient5 subscriber = broker.rawConnected("ta-plain").subscribe("plain/#", 0);
        RawClient5 publisher = broker.rawConnected("ta-plain-pub");

        publisher.send(Wire.publish("plain/a", "1", 0, 0), Wire.publish("plain/a", "2", 0, 0));

        for (int i = 0; i < 2; i++) {
            Frame f = subscriber.expect(PacketType.PUBLISH);
            assertThat(f.topic()).isEqualTo("plain/a");
            assertThat(f.properties().has(Property.TOPIC_ALIAS)).isFalse();
        }
    }

    /**
     * [MQTT-3.3.2-12] with a real client: Paho assigns its own aliases up to the broker's Topic Alias Maximum and
     * the broker resolves them. (Paho 1.2.5 cannot resolve aliases it receives, eclipse-paho/paho.mqtt.java#866,
     * so the subscriber here is raw and allows none.)
     */
    @Test
    void pahoPublishesThroughAliases() throws MqttException {
        RawClient5 subscriber = broker.rawConnected("ta-paho-sub").subscribe("paho/alias/#", 1);
        Paho5 publisher = broker.paho("ta-paho-pub").connect();

        for (int i = 0; i < 3; i++) {
            publisher.publish("paho/alias/" + (i % 2), "m" + i, 1);
        }

        for (String expected : new String[] {"paho/alias/0 m0", "paho/alias/1 m1", "paho/alias/0 m2"}) {
            Frame f = subscriber.expect(PacketType.PUBLISH);
            assertThat(topicAndPayload(f)).isEqualTo(expected);
            subscriber.send(Wire.puback(f.packetId()));
        }
    }

    private static Properties alias(long alias) {
        return Properties.none().add(Property.TOPIC_ALIAS, alias);
    }

    private static String topicAndPayload(Frame f) {
        return f.topic() + " " + f.payload();
    }
}
