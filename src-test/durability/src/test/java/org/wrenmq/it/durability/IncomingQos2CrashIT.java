package org.wrenmq.it.durability;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import org.eclipse.paho.client.mqttv3.MqttClient;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.wrenmq.broker.conformance.Packets;
import org.wrenmq.broker.conformance.RawClient;
import org.wrenmq.broker.testing.PacketType;

/**
 * An incoming QoS 2 message the broker answered with PUBREC, the broker killed before the PUBREL: after the restart
 * the publisher's session still knows the packet id, so a resent PUBLISH (DUP, same id) is not routed a second
 * time, and the PUBREL completes the exchange. The subscriber gets the message exactly once.
 */
@DisplayName("incoming QoS 2 awaiting PUBREL across kill -9")
class IncomingQos2CrashIT extends BrokerProcessTest {
    private static final String TOPIC = "inflight/q2";
    private static final int PACKET_ID = 7;

    @ParameterizedTest(name = "resend PUBLISH with DUP first: {0}")
    @ValueSource(booleans = {true, false})
    @DisplayName("the subscriber receives the message exactly once")
    void exactlyOnceAcrossKill(boolean resendPublish) throws Exception {
        broker = new BrokerProcess(dir).start();
        client = PahoClients.connect(broker.uri(), "q2-sub", false, null);
        client.subscribe(TOPIC, 2);
        client.disconnect();
        client.close();

        try (RawClient publisher = RawClient.open(broker.port())) {
            publisher.connectAccepted(Packets.connect("raw-q2-pub").cleanSession(false));
            publisher.send(Packets.publish(TOPIC, "exactly-once", 2, PACKET_ID));
            assertThat(publisher.expect(PacketType.PUBREC).packetId()).isEqualTo(PACKET_ID);
            broker.kill();
        }

        broker.start();
        try (RawClient publisher = RawClient.open(broker.port())) {
            assertThat(publisher.connect(Packets.connect("raw-q2-pub").cleanSession(false)).sessionPresent())
                    .as("session present after kill -9").isTrue();
            if (resendPublish) {
                publisher.send(Packets.publish(Packets.utf8(TOPIC), Packets.utf8("exactly-once"), 2, false, true,
                        PACKET_ID));
                assertThat(publisher.expect(PacketType.PUBREC).packetId()).isEqualTo(PACKET_ID);
            }
            publisher.send(Packets.pubrel(PACKET_ID));
            assertThat(publisher.expect(PacketType.PUBCOMP).packetId()).isEqualTo(PACKET_ID);
        }

        Inbox inbox = new Inbox();
        client = PahoClients.create(broker.uri(), "q2-sub", inbox);
        assertThat(PahoClients.connectAndCheckSession(client, false)).as("client session present").isTrue();
        await().atMost(Duration.ofSeconds(10)).until(() -> inbox.count("exactly-once") > 0);
        await().during(Duration.ofSeconds(2)).atMost(Duration.ofSeconds(5))
                .untilAsserted(() -> assertThat(inbox.count("exactly-once")).as("copies received").isEqualTo(1));
    }
}
