package org.wrenmq.broker.mqtt5;

import static org.assertj.core.api.Assertions.assertThat;

import org.eclipse.paho.mqttv5.common.MqttException;
import org.eclipse.paho.mqttv5.common.MqttSubscription;
import org.eclipse.paho.mqttv5.common.packet.MqttProperties;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.wrenmq.broker.testing.PacketType;

/** Subscription identifiers: given at SUBSCRIBE, returned with every message the subscription matched. */
class SubscriptionIdentifierTests {
    @RegisterExtension
    final Mqtt5Broker broker = new Mqtt5Broker();

    /** [MQTT-3.3.4-3]: the identifier of the matching subscription comes with the message. */
    @Test
    void messageCarriesTheSubscriptionIdentifier() {
        RawClient5 client = broker.rawConnected("sid");
        client.subscribe(1, "sid/+", 1, id(123_456));

        publish("sid/a", "x");

        assertThat(client.expect(PacketType.PUBLISH).properties().all(Property.SUBSCRIPTION_IDENTIFIER))
                .containsExactly(123_456L);
    }

    /** [MQTT-3.3.4-4]: one copy for overlapping subscriptions carries all their identifiers. */
    @Test
    void overlappingSubscriptionsGiveAllTheirIdentifiers() {
        RawClient5 client = broker.rawConnected("sid-overlap");
        client.subscribe(1, "sid/#", 1, id(1));
        client.subscribe(2, "sid/+/b", 1, id(2));
        client.subscribe(3, "sid/a/b", 1, Properties.none());

        publish("sid/a/b", "x");

        Frame f = client.expect(PacketType.PUBLISH);
        assertThat(f.properties().all(Property.SUBSCRIPTION_IDENTIFIER)).containsExactlyInAnyOrder(1L, 2L);
        client.expectNothingFor(java.time.Duration.ofMillis(300));
    }

    /** [MQTT-3.3.4-3]: a subscription without identifier gives none. */
    @Test
    void subscriptionWithoutIdentifierGivesNone() {
        RawClient5 client = broker.rawConnected("sid-none").subscribe("sid/n", 1);

        publish("sid/n", "x");

        assertThat(client.expect(PacketType.PUBLISH).properties().has(Property.SUBSCRIPTION_IDENTIFIER)).isFalse();
    }

    /** Section 3.8.2.1.2: a new SUBSCRIBE of the same filter replaces its identifier. */
    @Test
    void resubscribingReplacesTheIdentifier() {
        RawClient5 client = broker.rawConnected("sid-replace");
        client.subscribe(1, "sid/r", 1, id(7));
        client.subscribe(2, "sid/r", 1, id(8));

        publish("sid/r", "x");

        assertThat(client.expect(PacketType.PUBLISH).properties().all(Property.SUBSCRIPTION_IDENTIFIER))
                .containsExactly(8L);
    }

    /** [MQTT-3.3.4-3]: retained messages sent at subscribe carry the identifier too. */
    @Test
    void retainedMessagesCarryTheIdentifier() {
        RawClient5 publisher = broker.rawConnected("sid-retainer");
        publisher.send(Wire.publish("sid/kept", "old".getBytes(), 1, true, 1, Properties.none()));
        publisher.expect(PacketType.PUBACK);
        RawClient5 client = broker.rawConnected("sid-retained");

        client.subscribe(1, "sid/kept", 1, id(99));

        assertThat(client.expect(PacketType.PUBLISH).properties().all(Property.SUBSCRIPTION_IDENTIFIER))
                .containsExactly(99L);
    }

    /** [MQTT-3.3.4-6]: a PUBLISH from a client must not carry a subscription identifier: protocol error. */
    @Test
    void publishWithASubscriptionIdentifierIsAProtocolError() {
        RawClient5 client = broker.rawConnected("sid-publisher");

        client.send(Wire.publish("sid/p", "x".getBytes(), 0, false, 0, id(5)));

        assertThat(client.expectDisconnect().reasonCode()).isEqualTo(0x82);
    }

    /** Section 3.8.2.1.2: a subscription identifier of 0 is a protocol error. */
    @Test
    void identifierZeroIsAProtocolError() {
        RawClient5 client = broker.rawConnected("sid-zero");

        client.send(Wire.subscribe(1, "sid/z", 1, id(0)));

        assertThat(client.expectDisconnect().reasonCode()).isEqualTo(0x82);
    }

    /** [MQTT-3.3.4-3] with Paho: the identifier given in the SUBSCRIBE properties arrives with the message. */
    @Test
    void pahoReceivesItsSubscriptionIdentifier() throws MqttException {
        Paho5 client = broker.paho("sid-paho").connect();
        MqttProperties props = new MqttProperties();
        props.setSubscriptionIdentifier(42);
        client.subscribe(props, new MqttSubscription("sid/paho", 1));

        publish("sid/paho", "x");

        assertThat(client.next().properties().getSubscriptionIdentifiers()).containsExactly(42);
    }

    private static Properties id(long identifier) {
        return Properties.none().add(Property.SUBSCRIPTION_IDENTIFIER, identifier);
    }

    private void publish(String topic, String payload) {
        RawClient5 publisher = broker.rawConnected("pub-" + System.nanoTime());
        publisher.send(Wire.publish(topic, payload, 1, 1));
        publisher.expect(PacketType.PUBACK);
    }
}
