package org.wrenmq.broker.conformance;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.wrenmq.broker.testing.PacketType;

/**
 * mosquitto's private bridge flag (protocol level 0x84 or 0x83, a bridge's {@code try_private}), honoured as
 * mosquitto does: the bridge's subscriptions get no local and retain as published, so a bridge never gets its own
 * messages back, and it may publish its state under {@code $SYS/broker/connection/}.
 */
@DisplayName("private bridge flag (MQTT 3.1.1 level 0x84, MQTT 3.1 level 0x83)")
class PrivateBridgeTests {
    @RegisterExtension
    final BrokerExtension broker = new BrokerExtension();

    @Test
    @DisplayName("a bridge does not get its own message back; an ordinary client on the same topic does")
    void bridgeDoesNotReceiveItsOwnMessages() {
        RawClient bridge = broker.raw().connectAccepted(Packets.connect("edge")
                .protocol("MQTT", 0x84)).subscribe("chat/#", 0);
        RawClient other = broker.rawConnected("other", true).subscribe("chat/#", 0);

        bridge.send(Packets.publish("chat/a", "from the bridge", 0, 0));
        assertThat(other.expect(PacketType.PUBLISH).topic()).isEqualTo("chat/a");
        other.send(Packets.publish("chat/b", "sentinel", 0, 0));

        assertThat(bridge.expect(PacketType.PUBLISH).topic()).as("the sentinel, not its own chat/a")
                .isEqualTo("chat/b");
    }

    @Test
    @DisplayName("MQTT 3.1 bridges (0x83) are accepted too, and a retained message keeps its flag through them")
    void retainAsPublishedForBridges() {
        broker.rawConnected("publisher", true).send(Packets.publish("state/x".getBytes(),
                "on".getBytes(), 0, true, false, 0));
        RawClient bridge = broker.raw().connectAccepted(Packets.connect("edge31")
                .protocol("MQIsdp", 0x83)).subscribe("state/#", 0);
        bridge.expect(PacketType.PUBLISH);

        RawClient publisher = broker.rawConnected("publisher2", true);
        publisher.send(Packets.publish("state/y".getBytes(), "off".getBytes(), 0, true, false, 0));

        Packet live = bridge.expect(PacketType.PUBLISH);
        assertThat(live.topic()).isEqualTo("state/y");
        assertThat(live.retain()).as("retain as published [MQTT-3.3.1-12 for ordinary clients: 0]").isTrue();
    }

    @Test
    @DisplayName("a bridge may set its will and publish its state under $SYS/broker/connection/")
    void bridgeMayPublishItsState() {
        RawClient reader = broker.rawConnected("reader", true).subscribe("$SYS/broker/connection/#", 0);
        RawClient bridge = broker.raw().connectAccepted(Packets.connect("edge")
                .protocol("MQTT", 0x84).will("$SYS/broker/connection/edge/state", "0", 1, true));

        bridge.send(Packets.publish("$SYS/broker/connection/edge/state", "1", 0, 0));

        Packet state = reader.expect(PacketType.PUBLISH);
        assertThat(state.topic()).isEqualTo("$SYS/broker/connection/edge/state");
        assertThat(state.payload()).isEqualTo("1");
    }
}
