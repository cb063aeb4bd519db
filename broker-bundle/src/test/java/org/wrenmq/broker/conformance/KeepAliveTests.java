package org.wrenmq.broker.conformance;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;

import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.wrenmq.broker.testing.PacketType;

/** OASIS MQTT 3.1.1 section 3.1.2.10 (keep alive) and chapters 3.12-3.13 (PINGREQ, PINGRESP). */
@DisplayName("3.1.2.10 Keep alive, 3.12 PINGREQ, 3.13 PINGRESP")
class KeepAliveTests {
    @RegisterExtension
    final BrokerExtension broker = new BrokerExtension().withManualClock();

    @Test
    @DisplayName("[MQTT-3.12.4-1] PINGREQ is answered with PINGRESP")
    void pingreqIsAnsweredWithPingresp() {
        RawClient client = broker.rawConnected("pinger", true);

        client.send(Packets.pingreq());

        Packet pingresp = client.expect(PacketType.PINGRESP);
        assertThat(pingresp.flags()).isZero();
        assertThat(pingresp.body()).isEmpty();
    }

    @Test
    @DisplayName("[MQTT-3.1.2-24] a silent client is disconnected after one and a half times its keep alive, not before the keep alive")
    void silentClientIsDisconnectedAfterOneAndAHalfKeepAlive() {
        RawClient early = broker.raw().connectAccepted(Packets.connect("early").keepAlive(2));
        RawClient silent = broker.raw().connectAccepted(Packets.connect("silent").keepAlive(2));

        broker.clock().advance(Duration.ofMillis(2900));
        early.send(Packets.pingreq()).expect(PacketType.PINGRESP); // still open just before 1.5 x keep alive
        broker.clock().advance(Duration.ofMillis(1100));

        silent.expectClosedByBroker(); // nothing for 4 s > 3 s
        early.send(Packets.pingreq()).expect(PacketType.PINGRESP); // its last packet was 1.1 s ago
    }

    @Test
    @DisplayName("[MQTT-3.1.2-24] PINGREQs within the keep alive keep the connection open")
    void pingsKeepTheConnectionOpen() {
        RawClient client = broker.raw().connectAccepted(Packets.connect("pinger").keepAlive(1));

        for (int i = 0; i < 6; i++) { // 6 x 1.2 s = 7.2 s, more than four times 1.5 x keep alive
            broker.clock().advance(Duration.ofMillis(1200));
            client.send(Packets.pingreq()).expect(PacketType.PINGRESP);
        }
    }

    @Test
    @DisplayName("3.1.2.10 a keep alive of 0 turns the keep alive mechanism off")
    void zeroKeepAliveNeverTimesOut() {
        RawClient client = broker.raw().connectAccepted(Packets.connect("forever").keepAlive(0));

        broker.clock().advance(Duration.ofHours(1));
        client.send(Packets.pingreq()).expect(PacketType.PINGRESP);
    }
}
