package org.wrenmq.broker.mqtt5;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.wrenmq.broker.testing.PacketType;

/** {@code $SYS} is read-only for MQTT 5 clients: PUBACK/PUBREC 0x87 Not authorized, nothing routed or retained. */
@DisplayName("$SYS is read-only for clients (MQTT 5)")
class SysTopicTests {
    private static final int NOT_AUTHORIZED = 0x87;

    @RegisterExtension
    final Mqtt5Broker broker = new Mqtt5Broker();

    @Test
    @DisplayName("PUBLISH to $SYS is answered 0x87 Not authorized, at QoS 1 and 2, and reaches no subscriber")
    void publishToSysIsNotAuthorized() {
        RawClient5 subscriber = broker.rawConnected("subscriber").subscribe("$SYS/spoof/#", 0)
                .subscribe("sentinel", 0);
        RawClient5 publisher = broker.rawConnected("publisher");

        publisher.send(Wire.publish("$SYS/spoof/a", "qos1", 1, 1));
        Frame puback = publisher.expect(PacketType.PUBACK);
        publisher.send(Wire.publish("$SYS", "qos2", 2, 2));
        Frame pubrec = publisher.expect(PacketType.PUBREC);
        publisher.send(Wire.publish("sentinel", "after the spoofs", 0, 0));

        assertThat(puback.reasonCode()).isEqualTo(NOT_AUTHORIZED);
        assertThat(puback.hasReasonString()).isTrue();
        assertThat(pubrec.reasonCode()).isEqualTo(NOT_AUTHORIZED);
        assertThat(subscriber.expect(PacketType.PUBLISH).topic()).isEqualTo("sentinel");
        assertThat(broker.counter("messages.refused.sys_topic")).isEqualTo(2);
    }

    @Test
    @DisplayName("a retained spoof of $SYS/broker/version leaves the broker's value in place")
    void retainedSpoofIsNotRetained() {
        RawClient5 spoofer = broker.rawConnected("spoofer");
        spoofer.send(Wire.publish("$SYS/broker/version", "spoofed 9.9".getBytes(), 1, true, 1, Properties.none()));
        assertThat(spoofer.expect(PacketType.PUBACK).reasonCode()).isEqualTo(NOT_AUTHORIZED);

        RawClient5 reader = broker.rawConnected("reader").subscribe("$SYS/broker/version", 0);

        assertThat(reader.expect(PacketType.PUBLISH).payload()).startsWith("WrenMQ ");
    }

    @Test
    @DisplayName("a will on $SYS is refused at CONNECT with 0x87 Not authorized")
    void willOnSysIsRefused() {
        Frame connack = broker.raw().connect(Wire.connect("will-spoofer")
                .will("$SYS/broker/version", "spoofed", 0, true, Properties.none()));

        assertThat(connack.reasonCode()).isEqualTo(NOT_AUTHORIZED);
    }
}
