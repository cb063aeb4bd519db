package org.wrenmq.broker.conformance;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.wrenmq.broker.testing.PacketType;

/**
 * {@code $SYS} is the broker's: clients may read it, not write it. A PUBLISH there is acknowledged (MQTT 3.1.1
 * cannot refuse one) and dropped, as mosquitto does; topics starting with '$' are the server's [MQTT-4.7.2-1].
 */
@DisplayName("$SYS is read-only for clients (MQTT 3.1.1)")
class SysTopicTests {
    @RegisterExtension
    final BrokerExtension broker = new BrokerExtension();

    @Test
    @DisplayName("a retained spoof of $SYS/broker/version is acknowledged, and subscribers still get the broker's value")
    void retainedSpoofDoesNotReplaceTheBrokersValue() throws Exception {
        PahoClient spoofer = broker.pahoConnected("spoofer");

        spoofer.publish("$SYS/broker/version", "spoofed 9.9", 1, true);

        PahoClient reader = broker.pahoConnected("reader");
        reader.subscribe("$SYS/broker/version", 0);
        Received version = reader.next();
        assertThat(version.payload()).startsWith("WrenMQ ");
        assertThat(version.retained()).isTrue();
        assertThat(counter()).isEqualTo(1);
    }

    @Test
    @DisplayName("PUBLISH to $SYS at QoS 0, 1, 2 completes its flow and reaches no subscriber")
    void publishToSysIsAcknowledgedAndDropped() {
        RawClient subscriber = broker.rawConnected("subscriber", true).subscribe("$SYS/spoof/#", 0)
                .subscribe("sentinel", 0);
        RawClient publisher = broker.rawConnected("publisher", true);

        publisher.send(Packets.publish("$SYS/spoof", "qos0", 0, 0));
        publisher.send(Packets.publish("$SYS/spoof", "qos1", 1, 1));
        assertThat(publisher.expect(PacketType.PUBACK).packetId()).isEqualTo(1);
        publisher.send(Packets.publish("$SYS/spoof", "qos2", 2, 2));
        assertThat(publisher.expect(PacketType.PUBREC).packetId()).isEqualTo(2);
        publisher.send(Packets.pubrel(2));
        assertThat(publisher.expect(PacketType.PUBCOMP).packetId()).isEqualTo(2);
        publisher.send(Packets.publish("sentinel", "after the spoofs", 0, 0));

        assertThat(subscriber.expect(PacketType.PUBLISH).topic()).isEqualTo("sentinel");
        assertThat(counter()).isEqualTo(3);
    }

    @Test
    @DisplayName("a will on $SYS is refused at CONNECT: return code 5, not authorized")
    void willOnSysIsRefused() {
        Packet connack = broker.raw().connect(Packets.connect("will-spoofer")
                .will("$SYS/broker/version", "spoofed", 0, true));

        assertThat(connack.connackReturnCode()).isEqualTo(5);
        assertThat(counter()).isEqualTo(1);
    }

    private long counter() {
        return broker.broker().counters().get("messages.refused.sys_topic");
    }
}
