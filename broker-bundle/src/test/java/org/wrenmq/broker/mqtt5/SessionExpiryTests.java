package org.wrenmq.broker.mqtt5;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;

import org.eclipse.paho.mqttv5.client.MqttConnectionOptions;
import org.eclipse.paho.mqttv5.common.MqttException;
import org.eclipse.paho.mqttv5.common.packet.MqttProperties;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.wrenmq.broker.testing.PacketType;

/**
 * Session Expiry Interval: a session outlives its connection for the interval, then ends with everything queued
 * for it; 0 ends it with the connection; DISCONNECT may change it.
 */
class SessionExpiryTests {
    private static final Duration QUIET = Duration.ofMillis(500);

    @RegisterExtension
    final Mqtt5Broker broker = new Mqtt5Broker().withManualClock();

    /** [MQTT-3.1.2-23] [MQTT-3.1.2-5] [MQTT-3.2.2-3]: within the interval the session resumes with what was queued. */
    @Test
    void sessionIsKeptForTheInterval() {
        broker.leaveOfflineSession("keeper", "se/t", 60);
        publish("se/t", "while away");

        RawClient5 back = broker.raw();
        Frame connack = back.connect(Wire.connect("keeper").cleanStart(false).sessionExpiry(60));

        assertThat(connack.sessionPresent()).isTrue();
        assertThat(back.expect(PacketType.PUBLISH).payload()).isEqualTo("while away");
    }

    /** [MQTT-3.1.2-23]: a connection dropped without DISCONNECT keeps the session the same way. */
    @Test
    void sessionOutlivesADroppedConnection() throws MqttException {
        Paho5 client = broker.paho("dropper");
        MqttConnectionOptions options = Paho5.options();
        options.setSessionExpiryInterval(60L);
        client.connect(options);
        client.subscribe("se/t", 1);
        client.dropConnection();
        broker.awaitOffline("dropper");
        publish("se/t", "after drop");

        options.setCleanStart(false);
        assertThat(client.connect(options).getSessionPresent()).isTrue();
        assertThat(client.next().payload()).isEqualTo("after drop");
    }

    /** Section 3.1.2.11.2: after the interval the session is gone, and the messages queued for it with it. */
    @Test
    void sessionEndsAfterTheIntervalWithEverythingQueued() {
        broker.leaveOfflineSession("brief", "se/t", 1);
        publish("se/t", "never delivered");
        broker.clock().advance(Duration.ofMillis(900));
        assertThat(broker.broker().clients()).extracting(c -> c.clientId()).contains("brief");
        broker.clock().advance(Duration.ofMillis(100));

        assertThat(broker.broker().clients()).extracting(c -> c.clientId()).doesNotContain("brief");

        RawClient5 back = broker.raw();
        Frame connack = back.connect(Wire.connect("brief").cleanStart(false).sessionExpiry(60));
        assertThat(connack.sessionPresent()).isFalse();
        back.expectNothingFor(QUIET);
        assertThat(broker.broker().subscriptions()).noneMatch(s -> s.clientId().equals("brief"));
    }

    /** Section 3.1.2.11.2: an interval of 0 (or none) ends the session with the connection. */
    @Test
    void zeroIntervalEndsTheSessionAtDisconnect() {
        broker.leaveOfflineSession("mayfly", "se/t", 0);
        publish("se/t", "too late");

        RawClient5 back = broker.raw();
        Frame connack = back.connect(Wire.connect("mayfly").cleanStart(false));
        assertThat(connack.sessionPresent()).isFalse();
        back.expectNothingFor(QUIET);
    }

    /** Section 3.14.2.2.2: DISCONNECT with Session Expiry Interval 0 ends a session that would have stayed. */
    @Test
    void disconnectCanShortenTheInterval() throws MqttException {
        Paho5 client = broker.paho("shortened");
        MqttConnectionOptions options = Paho5.options();
        options.setSessionExpiryInterval(3600L);
        client.connect(options);
        client.subscribe("se/t", 1);
        MqttProperties props = new MqttProperties();
        props.setSessionExpiryInterval(0L);

        client.disconnect(0, props);

        broker.awaitSessionEnded("shortened");
        options.setCleanStart(false);
        assertThat(client.connect(options).getSessionPresent()).isFalse();
    }

    /** Section 3.14.2.2.2: DISCONNECT may lengthen a non-zero interval; the session then outlives the old one. */
    @Test
    void disconnectCanLengthenTheInterval() {
        RawClient5 client = broker.raw().connectAccepted(Wire.connect("lengthened").sessionExpiry(1));
        client.subscribe("se/t", 1);

        client.send(Wire.disconnect(0, Properties.none().add(Property.SESSION_EXPIRY_INTERVAL, 3600)));
        broker.awaitOffline("lengthened");
        publish("se/t", "kept longer");
        broker.clock().advance(Duration.ofSeconds(10));

        RawClient5 back = broker.raw();
        assertThat(back.connect(Wire.connect("lengthened").cleanStart(false).sessionExpiry(60)).sessionPresent())
                .isTrue();
        assertThat(back.expect(PacketType.PUBLISH).payload()).isEqualTo("kept longer");
    }

    /** Section 3.14.2.2.2: setting a non-zero interval at DISCONNECT after CONNECT said 0 is a protocol error. */
    @Test
    void disconnectCannotRaiseAZeroInterval() {
        RawClient5 client = broker.rawConnected("raiser");

        client.send(Wire.disconnect(0, Properties.none().add(Property.SESSION_EXPIRY_INTERVAL, 60)));

        assertThat(client.expectDisconnect().reasonCode()).isEqualTo(0x82);
    }

    /** [MQTT-3.1.2-4] [MQTT-3.2.2-2]: clean start discards a kept session. */
    @Test
    void cleanStartDiscardsAKeptSession() {
        broker.leaveOfflineSession("fresh", "se/t", 60);
        publish("se/t", "discarded");

        RawClient5 back = broker.raw();
        assertThat(back.connect(Wire.connect("fresh").cleanStart(true).sessionExpiry(60)).sessionPresent()).isFalse();
        back.expectNothingFor(QUIET);
    }

    private void publish(String topic, String payload) {
        RawClient5 publisher = broker.rawConnected("publisher-" + System.nanoTime());
        publisher.send(Wire.publish(topic, payload, 1, 1));
        publisher.expect(PacketType.PUBACK);
    }
}
