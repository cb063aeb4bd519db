package org.wrenmq.broker.mqtt5;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.time.Duration;

import org.eclipse.paho.mqttv5.common.MqttException;
import org.eclipse.paho.mqttv5.common.packet.MqttProperties;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.wrenmq.broker.testing.PacketType;

/**
 * MQTT 5 wills: the Will Delay Interval, the session end that cuts it short, DISCONNECT with or without will,
 * and the will properties that travel with the message.
 */
class WillDelayTests {
    private static final String WILL_TOPIC = "will/topic";

    @RegisterExtension
    final Mqtt5Broker broker = new Mqtt5Broker().withManualClock();

    /** [MQTT-3.1.3-9]: a session resumed within the will delay sends no will. */
    @Test
    void noWillWhenTheSessionResumesWithinTheDelay() throws MqttException {
        Paho5 watcher = watcher();
        RawClient5 client = broker.raw().connectAccepted(willConnect("phoenix", 60, 2));

        client.close();
        broker.awaitOffline("phoenix");
        broker.raw().connectAccepted(Wire.connect("phoenix").cleanStart(false).sessionExpiry(60));
        broker.clock().advance(Duration.ofSeconds(3));

        expectNoWillBefore(watcher);
    }

    /** [MQTT-3.1.3-9] [MQTT-3.1.4-3]: a takeover that resumes the session within the delay sends no will either. */
    @Test
    void noWillWhenTheSessionIsTakenOverWithinTheDelay() throws MqttException {
        Paho5 watcher = watcher();
        RawClient5 old = broker.raw().connectAccepted(willConnect("usurped", 60, 2));

        broker.raw().connectAccepted(Wire.connect("usurped").cleanStart(false).sessionExpiry(60));

        assertThat(old.expectDisconnect().reasonCode()).isEqualTo(0x8E);
        broker.clock().advance(Duration.ofSeconds(3));

        expectNoWillBefore(watcher);
    }

    /** [MQTT-3.1.2-8]: the will is sent once the delay has passed, not before. */
    @Test
    void willIsSentAfterTheDelay() throws MqttException {
        Paho5 watcher = watcher();
        RawClient5 client = broker.raw().connectAccepted(willConnect("delayed", 60, 2));

        client.close();
        broker.awaitOffline("delayed");

        broker.clock().advance(Duration.ofMillis(1900));
        expectNoWillBefore(watcher);
        broker.clock().advance(Duration.ofMillis(100));
        assertThat(watcher.next().payload()).isEqualTo("gone");
    }

    /** [MQTT-3.1.2-8]: when the session ends before the delay, the will is sent at the session end. */
    @Test
    void willIsSentWhenTheSessionEndsFirst() throws MqttException {
        Paho5 watcher = watcher();
        RawClient5 client = broker.raw().connectAccepted(willConnect("short-session", 1, 60));

        client.close();
        broker.awaitOffline("short-session");
        broker.clock().advance(Duration.ofMillis(900));
        expectNoWillBefore(watcher);
        broker.clock().advance(Duration.ofMillis(100));

        assertThat(watcher.next().payload()).isEqualTo("gone");
    }

    /** [MQTT-3.1.2-8]: with a session that ends with the connection, a delayed will is sent at once. */
    @Test
    void willIsSentAtOnceWhenTheSessionEndsWithTheConnection() throws MqttException {
        Paho5 watcher = watcher();
        RawClient5 client = broker.raw().connectAccepted(willConnect("no-session", 0, 60));

        client.close();

        assertThat(watcher.next().payload()).isEqualTo("gone");
    }

    /** [MQTT-3.1.2-10] [MQTT-3.14.4-3]: DISCONNECT 0x00 discards the will. */
    @Test
    void normalDisconnectDiscardsTheWill() throws MqttException {
        Paho5 watcher = watcher();
        RawClient5 client = broker.raw().connectAccepted(willConnect("polite", 0, 0));

        client.send(Wire.disconnect(0x00, Properties.none()));
        broker.awaitSessionEnded("polite");

        expectNoWillBefore(watcher);
    }

    /** Section 3.14.2.1: DISCONNECT 0x04 (disconnect with will message) publishes the will. */
    @Test
    void disconnectWithWillMessagePublishesTheWill() throws MqttException {
        Paho5 watcher = watcher();
        RawClient5 client = broker.raw().connectAccepted(willConnect("dramatic", 0, 0));

        client.send(Wire.disconnect(0x04, Properties.none()));

        assertThat(watcher.next().payload()).isEqualTo("gone");
    }

    /** [MQTT-3.1.3-10] section 3.1.3.2: will properties travel with the will, user properties in order. */
    @Test
    void willPropertiesArePassedOn() throws MqttException {
        Paho5 watcher = watcher();
        Properties willProps = Properties.none()
                .add(Property.PAYLOAD_FORMAT_INDICATOR, 1)
                .add(Property.MESSAGE_EXPIRY_INTERVAL, 300)
                .add(Property.CONTENT_TYPE, "text/plain")
                .add(Property.RESPONSE_TOPIC, "will/replies")
                .add(Property.CORRELATION_DATA, new byte[] {9, 8, 7})
                .user("b", "2").user("a", "1").user("b", "3");
        RawClient5 client = broker.raw().connectAccepted(Wire.connect("with-props")
                .will(WILL_TOPIC, "gone", 1, false, willProps));

        client.close();

        MqttProperties p = watcher.next().properties();
        assertThat(p.getPayloadFormat()).isTrue();
        assertThat(p.getMessageExpiryInterval()).isEqualTo(300L);
        assertThat(p.getContentType()).isEqualTo("text/plain");
        assertThat(p.getResponseTopic()).isEqualTo("will/replies");
        assertThat(p.getCorrelationData()).containsExactly(9, 8, 7);
        assertThat(p.getUserProperties()).extracting(u -> u.getKey() + "=" + u.getValue())
                .containsExactly("b=2", "a=1", "b=3");
    }

    /** Section 3.1.3.2.3: a will claiming UTF-8 that is not is refused at CONNECT with 0x99. */
    @Test
    void willWithInvalidUtf8IsRefused() {
        Wire.Connect connect = Wire.connect("bad-will").will(WILL_TOPIC, "ok", 0, false,
                Properties.none().add(Property.PAYLOAD_FORMAT_INDICATOR, 1));
        byte[] bytes = connect.bytes();
        bytes[bytes.length - 1] = (byte) 0xFF; // the last payload byte, inside the will message

        RawClient5 client = broker.raw();
        client.send(bytes);

        assertThat(client.expect(PacketType.CONNACK).reasonCode()).isEqualTo(0x99);
        assertThat(new String(bytes, StandardCharsets.ISO_8859_1)).endsWith("o\u00FF");
    }

    /** Proves no will came so far: a message published now is the next the watcher gets. */
    private void expectNoWillBefore(Paho5 watcher) throws MqttException {
        broker.paho("sentinel").connect().publish(WILL_TOPIC, "sentinel", 1);
        assertThat(watcher.next().payload()).isEqualTo("sentinel");
    }

    private Paho5 watcher() throws MqttException {
        return broker.paho("watcher").connect().subscribe(WILL_TOPIC, 1);
    }

    private static Wire.Connect willConnect(String clientId, long sessionExpiry, long willDelay) {
        return Wire.connect(clientId).sessionExpiry(sessionExpiry).will(WILL_TOPIC, "gone", 1, false,
                Properties.none().add(Property.WILL_DELAY_INTERVAL, willDelay));
    }
}
