package org.wrenmq.it.durability;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import org.eclipse.paho.client.mqttv3.MqttClient;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.wrenmq.broker.conformance.Packet;
import org.wrenmq.broker.conformance.Packets;
import org.wrenmq.broker.conformance.RawClient;
import org.wrenmq.broker.testing.PacketType;

/**
 * A QoS 2 message in flight to a subscriber when the broker is killed: before the subscriber's PUBREC the broker
 * must resend the PUBLISH (DUP, same packet id) after the restart; after it (the broker had sent PUBREL) it must
 * resend only the PUBREL, never the message again.
 */
@DisplayName("outgoing QoS 2 in flight across kill -9")
class OutgoingQos2CrashIT extends BrokerProcessTest {
    private static final String TOPIC = "outgoing/q2";

    @ParameterizedTest(name = "subscriber answered PUBREC before the kill: {0}")
    @ValueSource(booleans = {false, true})
    @DisplayName("the restarted broker resumes the exchange where it stood")
    void resumesWhereItStood(boolean answeredPubRec) throws Exception {
        broker = new BrokerProcess(dir).start();
        int packetId;
        try (RawClient subscriber = RawClient.open(broker.port())) {
            subscriber.connectAccepted(Packets.connect("raw-q2-sub").cleanSession(false)).subscribe(TOPIC, 2);
            publishQos2("in-flight");
            packetId = subscriber.expect(PacketType.PUBLISH).packetId();
            if (answeredPubRec) {
                subscriber.send(Packets.pubrec(packetId)).expect(PacketType.PUBREL);
            }
            broker.kill();
        }

        broker.start();
        try (RawClient subscriber = RawClient.open(broker.port())) {
            assertThat(subscriber.connect(Packets.connect("raw-q2-sub").cleanSession(false)).sessionPresent())
                    .as("session present").isTrue();
            if (answeredPubRec) {
                Packet resent = subscriber.expect(PacketType.PUBREL);
                assertThat(resent.packetId()).isEqualTo(packetId);
                subscriber.send(Packets.pubcomp(packetId));
            } else {
                Packet resent = subscriber.expect(PacketType.PUBLISH);
                assertThat(resent.dup()).as("DUP").isTrue();
                assertThat(resent.packetId()).isEqualTo(packetId);
                assertThat(resent.payload()).isEqualTo("in-flight");
                subscriber.completeQos2Receipt(resent);
            }
            subscriber.expectNothingFor(Duration.ofSeconds(1));
        }
    }

    private void publishQos2(String payload) throws Exception {
        MqttClient publisher = PahoClients.connect(broker.uri(), "q2-publisher", true, null);
        try {
            publisher.publish(TOPIC, payload.getBytes(), 2, false);
        } finally {
            PahoClients.closeQuietly(publisher);
        }
    }
}
