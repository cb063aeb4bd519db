package org.wrenmq.it.durability;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.SocketTimeoutException;
import org.eclipse.paho.client.mqttv3.MqttClient;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

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
        try (RawMqttClient subscriber = new RawMqttClient(broker.port())) {
            subscriber.connect("raw-q2-sub", false);
            subscriber.subscribe(TOPIC, 2, 1);
            assertThat(subscriber.read().type()).as("SUBACK").isEqualTo(RawMqttClient.SUBACK);
            publishQos2("in-flight");
            RawMqttClient.Packet publish = subscriber.read();
            assertThat(publish.type()).isEqualTo(RawMqttClient.PUBLISH);
            packetId = publish.packetId();
            if (answeredPubRec) {
                subscriber.pubRec(packetId);
                RawMqttClient.Packet pubrel = subscriber.read();
                assertThat(pubrel.type()).as("answer to PUBREC").isEqualTo(RawMqttClient.PUBREL);
            }
            broker.kill();
        }

        broker.start();
        try (RawMqttClient subscriber = new RawMqttClient(broker.port())) {
            assertThat(subscriber.connect("raw-q2-sub", false).body()[0] & 1).as("session present").isEqualTo(1);
            RawMqttClient.Packet resent = subscriber.read();
            if (answeredPubRec) {
                assertThat(resent.type()).as("first packet after reconnecting").isEqualTo(RawMqttClient.PUBREL);
                assertThat(resent.packetId()).isEqualTo(packetId);
                subscriber.pubComp(packetId);
            } else {
                assertThat(resent.type()).as("first packet after reconnecting").isEqualTo(RawMqttClient.PUBLISH);
                assertThat(resent.dup()).as("DUP").isTrue();
                assertThat(resent.packetId()).isEqualTo(packetId);
                assertThat(resent.payload()).isEqualTo("in-flight");
                subscriber.pubRec(packetId);
                assertThat(subscriber.read().type()).as("answer to PUBREC").isEqualTo(RawMqttClient.PUBREL);
                subscriber.pubComp(packetId);
            }
            subscriber.readTimeout(1_000);
            assertThatThrownBy(subscriber::read).as("anything more within 1 s")
                    .isInstanceOf(SocketTimeoutException.class);
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
