package org.wrenmq.broker.mqtt5;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.eclipse.paho.mqttv5.client.IMqttToken;
import org.eclipse.paho.mqttv5.client.MqttConnectionOptions;
import org.eclipse.paho.mqttv5.common.MqttException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.wrenmq.broker.testing.PacketType;

/**
 * CONNACK of MQTT 5: the properties that tell a client what the broker allows (and that they are true), the
 * assigned client identifier, the server keep alive, and the refusal of enhanced authentication.
 */
class ConnackTests {
    @RegisterExtension
    final Mqtt5Broker broker = new Mqtt5Broker();

    /** [MQTT-3.2.2-9] section 3.2.2.3: the limits in CONNACK are the configured ones. */
    @Test
    void connackAnnouncesTheConfiguredLimits() {
        broker.set("max_inflight_messages", "7").set("max_topic_alias", "3").set("message_size_limit", "1000")
                .set("max_qos", "1").set("retain_available", "false");

        Frame connack = broker.raw().connect(Wire.connect("limits"));

        assertThat(connack.reasonCode()).isZero();
        Properties p = connack.properties();
        assertThat(p.number(Property.RECEIVE_MAXIMUM)).contains(7L);
        assertThat(p.number(Property.TOPIC_ALIAS_MAXIMUM)).contains(3L);
        assertThat(p.number(Property.MAXIMUM_QOS)).contains(1L);
        assertThat(p.number(Property.RETAIN_AVAILABLE)).contains(0L);
        assertThat(p.number(Property.MAXIMUM_PACKET_SIZE)).hasValueSatisfying(size -> assertThat(size)
                .as("room for a 1000 byte payload").isGreaterThan(1000L).isLessThan(268_435_455L));
    }

    /** Section 3.2.2.3: with the defaults QoS 2, retained, wildcard, shared and identified subscriptions are all offered. */
    @Test
    void connackOffersEveryFeatureByDefault() {
        Properties p = broker.raw().connect(Wire.connect("defaults")).properties();

        assertThat(p.has(Property.MAXIMUM_QOS)).as("Maximum QoS absent means QoS 2 [MQTT-3.2.2-9]").isFalse();
        assertThat(p.number(Property.RETAIN_AVAILABLE).orElse(1L)).isEqualTo(1L);
        assertThat(p.number(Property.WILDCARD_SUBSCRIPTION_AVAILABLE).orElse(1L)).isEqualTo(1L);
        assertThat(p.number(Property.SUBSCRIPTION_IDENTIFIER_AVAILABLE).orElse(1L)).isEqualTo(1L);
        assertThat(p.number(Property.SHARED_SUBSCRIPTION_AVAILABLE).orElse(1L)).isEqualTo(1L);
        assertThat(p.number(Property.RECEIVE_MAXIMUM)).contains(20L);
        assertThat(p.number(Property.TOPIC_ALIAS_MAXIMUM)).contains(10L);
    }

    /** The availability flags are true: each feature announced works (wildcard, shared, identified, retained, QoS 2). */
    @Test
    void everyAnnouncedFeatureWorks() {
        RawClient5 publisher = broker.rawConnected("flags-pub");
        RawClient5 client = broker.rawConnected("flags-sub");
        publisher.send(Wire.publish("flags/retained", "kept".getBytes(), 0, true, 0, Properties.none()));
        broker.rawConnected("flags-sync").subscribe("flags/retained", 0).expect(PacketType.PUBLISH);

        client.subscribe(1, "flags/+", Wire.options(2, false, false, 0),
                Properties.none().add(Property.SUBSCRIPTION_IDENTIFIER, 5));
        Frame retained = client.expect(PacketType.PUBLISH);
        assertThat(retained.retain()).isTrue();
        assertThat(retained.properties().all(Property.SUBSCRIPTION_IDENTIFIER)).containsExactly(5L);
        client.subscribe(2, "$share/g/flags/shared", 2, Properties.none());

        publisher.send(Wire.publish("flags/shared", "x".getBytes(), 2, false, 1, Properties.none()));
        assertThat(publisher.expect(PacketType.PUBREC).reasonCode()).isZero();
        Frame first = client.expect(PacketType.PUBLISH);
        Frame second = client.expect(PacketType.PUBLISH);
        assertThat(first.qos()).isEqualTo(2);
        assertThat(second.qos()).isEqualTo(2);
    }

    /** [MQTT-3.2.2-9] [MQTT-3.2.2-11]: a PUBLISH above Maximum QoS is refused with 0x9B. */
    @Test
    void publishAboveAnnouncedMaximumQosIsRefused() {
        broker.set("max_qos", "1");
        RawClient5 client = broker.rawConnected("qos-above");

        client.send(Wire.publish("q/t", "two", 2, 1));

        assertThat(client.expectDisconnect().reasonCode()).isEqualTo(0x9B);
    }

    /** [MQTT-3.2.2-14]: retained PUBLISH when Retain Available is 0 is refused with 0x9A. */
    @Test
    void retainedPublishIsRefusedWhenRetainIsNotAvailable() {
        broker.set("retain_available", "false");
        RawClient5 client = broker.rawConnected("no-retain");

        client.send(Wire.publish("r/t", "x".getBytes(), 0, true, 0, Properties.none()));

        assertThat(client.expectDisconnect().reasonCode()).isEqualTo(0x9A);
    }

    /** [MQTT-3.1.3-6] [MQTT-3.1.3-7] [MQTT-3.2.2-16]: an empty client id gets a new, unique assigned one. */
    @Test
    void emptyClientIdentifierIsAssignedAUniqueOne() throws MqttException {
        IMqttToken first = broker.paho("").connect(Paho5.options());
        IMqttToken second = broker.paho("").connect(Paho5.options());

        String a = first.getResponseProperties().getAssignedClientIdentifier();
        String b = second.getResponseProperties().getAssignedClientIdentifier();
        assertThat(a).isNotBlank();
        assertThat(b).isNotBlank().isNotEqualTo(a);
        assertThat(broker.broker().clients()).extracting(c -> c.clientId()).contains(a, b);
    }

    /** [MQTT-3.2.2-16]: a client that sent its own id gets no Assigned Client Identifier. */
    @Test
    void givenClientIdentifierIsNotReassigned() {
        Frame connack = broker.raw().connect(Wire.connect("mine"));

        assertThat(connack.properties().has(Property.ASSIGNED_CLIENT_IDENTIFIER)).isFalse();
    }

    /** [MQTT-3.1.2-21] [MQTT-3.2.2-21]: a keep alive above max_keepalive is lowered by Server Keep Alive. */
    @Test
    void keepAliveAboveMaximumIsAnsweredWithServerKeepAlive() throws MqttException {
        broker.set("max_keepalive", "10");
        MqttConnectionOptions options = Paho5.options();
        options.setKeepAliveInterval(60);

        IMqttToken token = broker.paho("long-keepalive").connect(options);

        assertThat(token.getResponseProperties().getServerKeepAlive()).isEqualTo(10);
        assertThat(broker.raw().connect(Wire.connect("zero-keepalive").keepAlive(0)).properties()
                .number(Property.SERVER_KEEP_ALIVE)).as("keep alive 0 under a maximum").contains(10L);
    }

    /** [MQTT-3.2.2-22]: a keep alive within the maximum is kept, without Server Keep Alive. */
    @Test
    void keepAliveWithinMaximumIsKept() {
        broker.set("max_keepalive", "10");

        Frame connack = broker.raw().connect(Wire.connect("short-keepalive").keepAlive(5));

        assertThat(connack.properties().has(Property.SERVER_KEEP_ALIVE)).isFalse();
    }

    /** [MQTT-4.12.0-1] [MQTT-3.2.2-6] [MQTT-3.2.2-7]: CONNECT with an authentication method gets 0x8C, then close. */
    @Test
    void authenticationMethodIsRefusedWithBadAuthenticationMethod() {
        RawClient5 client = broker.raw();

        Frame connack = client.connect(Wire.connect("enhanced").property(Property.AUTHENTICATION_METHOD, "SCRAM-SHA-1"));

        assertThat(connack.reasonCode()).isEqualTo(0x8C);
        assertThat(connack.hasReasonString()).as("reason string, section 3.2.2.3.9").isTrue();
        assertThat(connack.sessionPresent()).isFalse();
        assertThat(client.nextUnlessClosed(RawClient5.PATIENCE)).as("connection closed after refusal").isEmpty();
    }

    /** [MQTT-4.12.0-1]: Paho's CONNECT with an authentication method fails with reason code 0x8C. */
    @Test
    void pahoWithAuthenticationMethodIsRefused() {
        MqttConnectionOptions options = Paho5.options();
        options.setAuthMethod("SCRAM-SHA-256");
        options.setAuthData(new byte[] {1, 2, 3});

        assertThatThrownBy(() -> broker.paho("paho-enhanced").connect(options))
                .isInstanceOfSatisfying(MqttException.class, e -> assertThat(e.getReasonCode()).isEqualTo(0x8C));
    }

    /** Section 4.12: AUTH without an authentication method in CONNECT is a protocol error (0x82). */
    @Test
    void authPacketWithoutAuthenticationMethodIsAProtocolError() {
        RawClient5 client = broker.rawConnected("stray-auth");

        client.send(Wire.auth(0x18, Properties.none().add(Property.AUTHENTICATION_METHOD, "X")));

        assertThat(client.expectDisconnect().reasonCode()).isEqualTo(0x82);
    }
}
