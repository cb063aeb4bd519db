package org.wrenmq.broker.mqtt5;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.wrenmq.broker.testing.PacketType;

/**
 * Reason codes and reason strings on PUBACK, PUBREC, PUBREL, PUBCOMP, SUBACK and UNSUBACK (CONNACK: see
 * {@link ConnackTests}; DISCONNECT: {@link ServerDisconnectTests}), and Request Problem Information.
 */
class ReasonCodeTests {
    private static final byte[] NOT_UTF8 = {(byte) 0xC3, (byte) 0x28, (byte) 0xFF};
    private static final Duration QUIET = Duration.ofMillis(500);

    @RegisterExtension
    final Mqtt5Broker broker = new Mqtt5Broker();

    /** Section 3.3.2.3.2, 3.4.2.1: a QoS 1 payload that is not the UTF-8 it claims gets PUBACK 0x99 and a reason string. */
    @Test
    void pubackSaysPayloadFormatInvalid() {
        RawClient5 watcher = broker.rawConnected("pf-watch").subscribe("pf/#", 1);
        RawClient5 client = broker.rawConnected("pf-pub");

        client.send(Wire.publish("pf/t", NOT_UTF8, 1, false, 7, utf8Claimed()));

        Frame puback = client.expect(PacketType.PUBACK);
        assertThat(puback.packetId()).isEqualTo(7);
        assertThat(puback.reasonCode()).isEqualTo(0x99);
        assertThat(puback.hasReasonString()).isTrue();
        watcher.expectNothingFor(QUIET);
    }

    /** Section 3.3.2.3.2, 3.5.2.1: the same for QoS 2, answered by PUBREC 0x99. */
    @Test
    void pubrecSaysPayloadFormatInvalid() {
        RawClient5 client = broker.rawConnected("pf2-pub");

        client.send(Wire.publish("pf/t", NOT_UTF8, 2, false, 8, utf8Claimed()));

        Frame pubrec = client.expect(PacketType.PUBREC);
        assertThat(pubrec.packetId()).isEqualTo(8);
        assertThat(pubrec.reasonCode()).isEqualTo(0x99);
    }

    /** Section 3.3.2.3.2: valid UTF-8 with the indicator set is accepted and forwarded. */
    @Test
    void validUtf8WithIndicatorIsAccepted() {
        RawClient5 watcher = broker.rawConnected("pf-ok-watch").subscribe("pf/#", 1);
        RawClient5 client = broker.rawConnected("pf-ok-pub");

        client.send(Wire.publish("pf/t", "grüße".getBytes(java.nio.charset.StandardCharsets.UTF_8), 1, false, 9,
                utf8Claimed()));

        assertThat(client.expect(PacketType.PUBACK).reasonCode()).isZero();
        Frame forwarded = watcher.expect(PacketType.PUBLISH);
        assertThat(forwarded.payload()).isEqualTo("grüße");
        assertThat(forwarded.properties().number(Property.PAYLOAD_FORMAT_INDICATOR)).contains(1L);
    }

    /** [MQTT-3.1.2-29]: with Request Problem Information 0 the broker sends no reason string on PUBACK. */
    @Test
    void noReasonStringWhenProblemInformationIsNotRequested() {
        RawClient5 client = broker.raw().connectAccepted(Wire.connect("quiet")
                .property(Property.REQUEST_PROBLEM_INFORMATION, 0));

        client.send(Wire.publish("pf/t", NOT_UTF8, 1, false, 3, utf8Claimed()));

        Frame puback = client.expect(PacketType.PUBACK);
        assertThat(puback.reasonCode()).isEqualTo(0x99);
        assertThat(puback.properties().has(Property.REASON_STRING)).isFalse();
        assertThat(puback.properties().has(Property.USER_PROPERTY)).isFalse();
    }

    /** [MQTT-3.4.2-2]: the reason string is left out when it would make PUBACK larger than the client takes. */
    @Test
    void reasonStringIsLeftOutWhenItDoesNotFit() {
        RawClient5 client = broker.raw().connectAccepted(Wire.connect("tiny")
                .property(Property.MAXIMUM_PACKET_SIZE, 10));

        client.send(Wire.publish("pf/t", NOT_UTF8, 1, false, 4, utf8Claimed()));

        Frame puback = client.expect(PacketType.PUBACK);
        assertThat(puback.reasonCode()).isEqualTo(0x99);
        assertThat(2 + puback.body().length).as("PUBACK size").isLessThanOrEqualTo(10);
    }

    /** Section 3.6.2.1: PUBREL answers 0x00 for a message in flight, and PUBCOMP ends it with 0x00. */
    @Test
    void qos2FlowAcknowledgesWithSuccess() {
        RawClient5 subscriber = broker.rawConnected("q2-sub").subscribe("q2/t", 2);
        RawClient5 publisher = broker.rawConnected("q2-pub");

        publisher.send(Wire.publish("q2/t", "two", 2, 11));
        Frame pubrec = publisher.expect(PacketType.PUBREC);
        assertThat(pubrec.reasonCode()).isZero();
        publisher.send(Wire.pubrel(11));
        Frame pubcomp = publisher.expect(PacketType.PUBCOMP);
        assertThat(pubcomp.packetId()).isEqualTo(11);
        assertThat(pubcomp.reasonCode()).isZero();

        Frame delivered = subscriber.expect(PacketType.PUBLISH);
        subscriber.send(Wire.ack(PacketType.PUBREC, delivered.packetId(), 0, Properties.none()));
        Frame pubrel = subscriber.expect(PacketType.PUBREL);
        assertThat(pubrel.packetId()).isEqualTo(delivered.packetId());
        assertThat(pubrel.reasonCode()).isZero();
    }

    /** Section 3.7.2.1: PUBREL for a packet id the broker does not know is answered PUBCOMP 0x92. */
    @Test
    void pubcompSaysPacketIdentifierNotFound() {
        RawClient5 client = broker.rawConnected("stray-pubrel");

        client.send(Wire.pubrel(42));

        Frame pubcomp = client.expect(PacketType.PUBCOMP);
        assertThat(pubcomp.packetId()).isEqualTo(42);
        assertThat(pubcomp.reasonCode()).isEqualTo(0x92);
    }

    /** Section 3.6.2.1: PUBREC for a packet id the broker never sent is answered PUBREL 0x92. */
    @Test
    void pubrelSaysPacketIdentifierNotFound() {
        RawClient5 client = broker.rawConnected("stray-pubrec");

        client.send(Wire.ack(PacketType.PUBREC, 43, 0, Properties.none()));

        Frame pubrel = client.expect(PacketType.PUBREL);
        assertThat(pubrel.packetId()).isEqualTo(43);
        assertThat(pubrel.reasonCode()).isEqualTo(0x92);
    }

    /** Sections 3.5.2.1 and 4.3.3: PUBREC with a failure code ends the QoS 2 delivery; no PUBREL follows. */
    @Test
    void pubrecWithErrorEndsTheDelivery() {
        RawClient5 subscriber = broker.raw().connectAccepted(Wire.connect("rec-err")
                .property(Property.RECEIVE_MAXIMUM, 1));
        subscriber.subscribe("rec/t", 2);
        RawClient5 publisher = broker.rawConnected("rec-pub");
        publisher.send(Wire.publish("rec/t", "one", 2, 1), Wire.publish("rec/t", "two", 2, 2));

        Frame first = subscriber.expect(PacketType.PUBLISH);
        subscriber.send(Wire.ack(PacketType.PUBREC, first.packetId(), 0x80,
                Properties.none().add(Property.REASON_STRING, "cannot take it")));

        Frame next = subscriber.expect(PacketType.PUBLISH);
        assertThat(next.payload()).as("the window is free again").isEqualTo("two");
    }

    /** [MQTT-3.9.3-1] [MQTT-3.9.3-2] section 3.9.3: one SUBACK code per filter, in order, invalid filters 0x8F. */
    @Test
    void subackHasOneReasonCodePerFilterInOrder() {
        broker.set("max_qos", "1");
        RawClient5 client = broker.rawConnected("suback");

        client.send(Wire.subscribe(5, Properties.none(),
                new String[] {"a/b", "a/#/b", "$share/g/s/t", "c", "$share/g+/bad", "d/+"},
                new int[] {0, 1, 1, 2, 1, 1}));

        Frame suback = client.expect(PacketType.SUBACK);
        assertThat(suback.packetId()).isEqualTo(5);
        assertThat(suback.reasonCodes()).containsExactly(0x00, 0x8F, 0x01, 0x01, 0x8F, 0x01);
    }

    /** [MQTT-3.11.3-1] [MQTT-3.11.3-2] section 3.11.3: UNSUBACK 0x00 for a subscription, 0x11 for none, in order. */
    @Test
    void unsubackHasOneReasonCodePerFilterInOrder() {
        RawClient5 client = broker.rawConnected("unsuback").subscribe("u/a", 1);
        client.subscribe(2, "$share/grp/u/b", 1, Properties.none());

        client.send(Wire.unsubscribe(9, "nothing/here", "u/a", "$share/grp/u/b", "u/a"));

        Frame unsuback = client.expect(PacketType.UNSUBACK);
        assertThat(unsuback.packetId()).isEqualTo(9);
        assertThat(unsuback.reasonCodes()).containsExactly(0x11, 0x00, 0x00, 0x11);
    }

    private static Properties utf8Claimed() {
        return Properties.none().add(Property.PAYLOAD_FORMAT_INDICATOR, 1);
    }
}
