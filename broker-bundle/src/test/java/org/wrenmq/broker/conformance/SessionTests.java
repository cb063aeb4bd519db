package org.wrenmq.broker.conformance;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.wrenmq.broker.testing.PacketType;

/** OASIS MQTT 3.1.1 sections 3.1.2.4 (clean session), 3.2.2.2 (session present), 4.1 and 4.4 (session state, resend). */
@DisplayName("3.1.2.4 Clean session, 3.2.2.2 Session present, 4.4 Message delivery retry")
class SessionTests {
    @RegisterExtension
    final BrokerExtension broker = new BrokerExtension();

    @Test
    @DisplayName("[MQTT-3.2.2-1] a clean session CONNACK has session present 0")
    void cleanSessionHasNoSessionPresent() {
        broker.rawConnected("c", false).send(Packets.disconnect()).expectClosedByBroker();

        Packet connack = broker.raw().connect(Packets.connect("c").cleanSession(true));

        assertThat(connack.connackReturnCode()).isZero();
        assertThat(connack.sessionPresent()).isFalse();
    }

    @Test
    @DisplayName("[MQTT-3.2.2-2] [MQTT-3.2.2-3] a persistent session is reported absent the first time and present on reconnect")
    void persistentSessionIsPresentOnReconnect() {
        RawClient client = broker.raw();
        assertThat(client.connect(Packets.connect("p").cleanSession(false)).sessionPresent()).isFalse();
        client.send(Packets.disconnect()).expectClosedByBroker();

        Packet second = broker.raw().connect(Packets.connect("p").cleanSession(false));

        assertThat(second.connackReturnCode()).isZero();
        assertThat(second.sessionPresent()).isTrue();
    }

    @Test
    @DisplayName("[MQTT-3.1.2-6] connecting with clean session discards the stored session and its subscriptions")
    void cleanSessionDiscardsStoredSession() throws Exception {
        PahoClient client = broker.paho("p");
        client.connect(PahoClient.MQTT_3_1_1, false);
        client.subscribe("s/t", 1);
        client.disconnect();
        client.connect(PahoClient.MQTT_3_1_1, true);
        client.disconnect();

        boolean sessionPresent = client.connect(PahoClient.options(PahoClient.MQTT_3_1_1, false));

        assertThat(sessionPresent).isFalse();
        client.subscribe("sentinel", 1);
        PahoClient publisher = broker.pahoConnected("pub");
        publisher.publish("s/t", "old subscription", 1);
        publisher.publish("sentinel", "sentinel", 1);
        assertThat(client.next().payload()).isEqualTo("sentinel");
    }

    @Test
    @DisplayName("[MQTT-3.1.2-4] [MQTT-3.1.2-5] a persistent session keeps its subscriptions and queues QoS 1 and 2 messages while offline")
    void persistentSessionQueuesMessagesWhileOffline() throws Exception {
        PahoClient subscriber = broker.paho("offline-sub");
        subscriber.connect(PahoClient.MQTT_3_1_1, false);
        subscriber.subscribe("s/#", 2);
        subscriber.disconnect();
        PahoClient publisher = broker.pahoConnected("pub");
        publisher.publish("s/1", "one", 1);
        publisher.publish("s/2", "two", 2);

        boolean sessionPresent = subscriber.connect(PahoClient.options(PahoClient.MQTT_3_1_1, false));

        assertThat(sessionPresent).isTrue();
        assertThat(subscriber.next(2)).containsExactly(
                new Received("s/1", "one", 1, false, false), new Received("s/2", "two", 2, false, false));
    }

    @Test
    @DisplayName("[MQTT-3.1.2-6] a clean session ends with its connection: nothing is kept for the client id")
    void cleanSessionEndsWithItsConnection() {
        broker.rawConnected("c", true).subscribe("s/t", 1).send(Packets.disconnect()).expectClosedByBroker();

        Packet connack = broker.raw().connect(Packets.connect("c").cleanSession(false));

        assertThat(connack.sessionPresent()).isFalse();
    }

    @Test
    @DisplayName("[MQTT-4.4.0-1] [MQTT-3.3.1-1] an unacknowledged QoS 1 PUBLISH is resent with DUP 1 and the same id on reconnect")
    void unacknowledgedQos1IsResentWithDup() throws Exception {
        Packet first = receivedButNotAcknowledged(1, "unacked");

        RawClient again = broker.raw();
        assertThat(again.connect(Packets.connect("p").cleanSession(false)).sessionPresent()).isTrue();

        Packet resent = again.expect(PacketType.PUBLISH);
        assertThat(resent.dup()).isTrue();
        assertThat(resent.packetId()).isEqualTo(first.packetId());
        assertThat(resent.payload()).isEqualTo("unacked");
        assertThat(resent.qos()).isEqualTo(1);
    }

    @Test
    @DisplayName("[MQTT-4.4.0-1] [MQTT-3.3.1-1] an unacknowledged QoS 2 PUBLISH is resent with DUP 1 and the same id on reconnect")
    void unacknowledgedQos2IsResentWithDup() throws Exception {
        Packet first = receivedButNotAcknowledged(2, "unreceived");

        RawClient again = broker.raw().connectAccepted(Packets.connect("p").cleanSession(false));

        Packet resent = again.expect(PacketType.PUBLISH);
        assertThat(resent.dup()).isTrue();
        assertThat(resent.packetId()).isEqualTo(first.packetId());
        assertThat(resent.qos()).isEqualTo(2);
    }

    @Test
    @DisplayName("[MQTT-4.4.0-1] a PUBREL not yet completed by PUBCOMP is resent on reconnect")
    void uncompletedPubrelIsResent() throws Exception {
        RawClient subscriber = broker.rawConnected("p", false).subscribe("s/t", 2);
        broker.pahoConnected("pub").publish("s/t", "half", 2);
        Packet publish = subscriber.expect(PacketType.PUBLISH);
        subscriber.send(Packets.pubrec(publish.packetId()));
        subscriber.expect(PacketType.PUBREL);
        subscriber.close();

        RawClient again = broker.raw().connectAccepted(Packets.connect("p").cleanSession(false));

        Packet pubrel = again.expect(PacketType.PUBREL);
        assertThat(pubrel.packetId()).isEqualTo(publish.packetId());
        again.send(Packets.pubcomp(publish.packetId()));
        again.send(Packets.pingreq()).expect(PacketType.PINGRESP);
    }

    @Test
    @DisplayName("[MQTT-3.1.4-2] a second connection with the same client id takes over: the first is closed")
    void secondConnectionWithSameClientIdTakesOver() {
        RawClient first = broker.rawConnected("twin", true);

        RawClient second = broker.rawConnected("twin", true);

        first.expectClosedByBroker();
        second.send(Packets.pingreq()).expect(PacketType.PINGRESP);
    }

    @Test
    @DisplayName("[MQTT-3.1.4-2] [MQTT-3.2.2-2] a takeover by a persistent connection keeps the session and its subscriptions")
    void takeoverKeepsThePersistentSession() throws Exception {
        PahoClient first = broker.paho("twin");
        first.connect(PahoClient.MQTT_3_1_1, false);
        first.subscribe("s/t", 1);

        RawClient second = broker.raw();
        Packet connack = second.connect(Packets.connect("twin").cleanSession(false));

        assertThat(connack.sessionPresent()).isTrue();
        await().atMost(RawClient.PATIENCE).until(first::connectionLost);
        broker.pahoConnected("pub").publish("s/t", "to the new connection", 1);
        assertThat(second.expect(PacketType.PUBLISH).payload()).isEqualTo("to the new connection");
    }

    @Test
    @DisplayName("[MQTT-3.1.2-4] [MQTT-3.3.1-5] with persistence true a session, its queued QoS 1 message and retained messages survive a restart")
    void persistentStateSurvivesBrokerRestart() throws Exception {
        broker.set("persistence", "true");
        broker.rawConnected("durable", false).subscribe("s/t", 1).send(Packets.disconnect()).expectClosedByBroker();
        PahoClient publisher = broker.pahoConnected("pub");
        publisher.publish("s/t", "queued", 1);
        publisher.publish("r/t", "kept", 1, true);

        broker.restart();

        RawClient again = broker.raw();
        assertThat(again.connect(Packets.connect("durable").cleanSession(false)).sessionPresent()).isTrue();
        assertThat(again.expect(PacketType.PUBLISH).payload()).isEqualTo("queued");
        PahoClient late = broker.pahoConnected("late");
        late.subscribe("r/t", 1);
        assertThat(late.next()).isEqualTo(new Received("r/t", "kept", 1, true, false));
    }

    /**
     * The PUBLISH that the persistent session "p", subscribed to s/t at the QoS, receives for the payload before its
     * connection ends without an acknowledgement.
     */
    private Packet receivedButNotAcknowledged(int qos, String payload) throws Exception {
        RawClient subscriber = broker.rawConnected("p", false).subscribe("s/t", qos);
        broker.pahoConnected("pub").publish("s/t", payload, qos);
        Packet first = subscriber.expect(PacketType.PUBLISH);
        subscriber.close();
        return first;
    }
}
