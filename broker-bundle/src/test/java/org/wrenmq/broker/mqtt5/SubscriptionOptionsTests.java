package org.wrenmq.broker.mqtt5;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;

import org.eclipse.paho.mqttv5.common.MqttException;
import org.eclipse.paho.mqttv5.common.MqttSubscription;
import org.eclipse.paho.mqttv5.common.packet.MqttProperties;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.wrenmq.broker.testing.PacketType;

/** The subscription options of MQTT 5: No Local, Retain As Published and Retain Handling 0, 1 and 2. */
class SubscriptionOptionsTests {
    private static final Duration QUIET = Duration.ofMillis(500);

    @RegisterExtension
    final Mqtt5Broker broker = new Mqtt5Broker();

    /** [MQTT-3.8.3-3]: with No Local a client does not get its own messages back, but others' messages still. */
    @Test
    void noLocalKeepsOwnMessagesAway() throws MqttException {
        Paho5 client = broker.paho("narcissus").connect();
        MqttSubscription noLocal = new MqttSubscription("nl/t", 1);
        noLocal.setNoLocal(true);
        client.subscribe(new MqttProperties(), noLocal);
        Paho5 other = broker.paho("echo").connect();

        client.publish("nl/t", "mine", 1);
        other.publish("nl/t", "theirs", 1);

        assertThat(client.next().payload()).isEqualTo("theirs");
        client.expectNothingFor(QUIET);
    }

    /** [MQTT-3.8.3-3]: without No Local a client gets its own messages. */
    @Test
    void withoutNoLocalOwnMessagesComeBack() throws MqttException {
        Paho5 client = broker.paho("echo-chamber").connect().subscribe("nl/own", 1);

        client.publish("nl/own", "mine", 1);

        assertThat(client.next().payload()).isEqualTo("mine");
    }

    /** [MQTT-3.8.3-4]: No Local on a shared subscription is a protocol error. */
    @Test
    void noLocalOnASharedSubscriptionIsAProtocolError() {
        RawClient5 client = broker.rawConnected("nl-shared");

        client.send(Wire.subscribe(1, "$share/g/nl/t", Wire.options(1, true, false, 0), Properties.none()));

        assertThat(client.expectDisconnect().reasonCode()).isEqualTo(0x82);
    }

    /** [MQTT-3.3.1-12] [MQTT-3.3.1-13]: Retain As Published keeps the RETAIN flag of live messages; else it is 0. */
    @Test
    void retainAsPublishedKeepsTheFlagOfLiveMessages() {
        RawClient5 keeping = broker.rawConnected("rap-1");
        keeping.subscribe(1, "rap/t", Wire.options(1, false, true, 0), Properties.none());
        RawClient5 clearing = broker.rawConnected("rap-0");
        clearing.subscribe(1, "rap/t", Wire.options(1, false, false, 0), Properties.none());
        RawClient5 publisher = broker.rawConnected("rap-pub");

        publisher.send(Wire.publish("rap/t", "live".getBytes(), 1, true, 1, Properties.none()));
        publisher.expect(PacketType.PUBACK);

        assertThat(keeping.expect(PacketType.PUBLISH).retain()).isTrue();
        assertThat(clearing.expect(PacketType.PUBLISH).retain()).isFalse();
    }

    /** Section 3.3.1.3: retained messages sent at subscribe have RETAIN 1 whatever Retain As Published says. */
    @Test
    void retainedMessagesAtSubscribeAlwaysCarryTheFlag() {
        retain("rap/kept", "kept");
        RawClient5 client = broker.rawConnected("rap-late");

        client.subscribe(1, "rap/kept", Wire.options(1, false, false, 0), Properties.none());

        assertThat(client.expect(PacketType.PUBLISH).retain()).isTrue();
    }

    /** [MQTT-3.3.1-9]: Retain Handling 0 sends the retained messages at every subscribe. */
    @Test
    void retainHandling0SendsRetainedAtEverySubscribe() {
        retain("rh/t", "kept");
        RawClient5 client = broker.rawConnected("rh-0");

        client.subscribe(1, "rh/t", Wire.options(1, false, false, 0), Properties.none());
        assertThat(client.expect(PacketType.PUBLISH).payload()).isEqualTo("kept");
        client.subscribe(2, "rh/t", Wire.options(1, false, false, 0), Properties.none());
        assertThat(client.expect(PacketType.PUBLISH).payload()).isEqualTo("kept");
    }

    /** [MQTT-3.3.1-10]: Retain Handling 1 sends them only when the subscription is new. */
    @Test
    void retainHandling1SendsRetainedOnlyForANewSubscription() {
        retain("rh/t", "kept");
        RawClient5 client = broker.rawConnected("rh-1");

        client.subscribe(1, "rh/t", Wire.options(1, false, false, 1), Properties.none());
        assertThat(client.expect(PacketType.PUBLISH).payload()).isEqualTo("kept");
        client.subscribe(2, "rh/t", Wire.options(1, false, false, 1), Properties.none());
        client.expectNothingFor(QUIET);
    }

    /** [MQTT-3.3.1-11]: Retain Handling 2 never sends them. */
    @Test
    void retainHandling2NeverSendsRetained() {
        retain("rh/t", "kept");
        RawClient5 client = broker.rawConnected("rh-2");

        client.subscribe(1, "rh/t", Wire.options(1, false, false, 2), Properties.none());

        client.expectNothingFor(QUIET);
    }

    /** [MQTT-3.3.1-9] [MQTT-3.3.1-11] with Paho: the options as a real client sets them. */
    @Test
    void pahoRetainHandling() throws MqttException {
        retain("rh/paho", "kept");
        Paho5 client = broker.paho("rh-paho").connect();
        MqttSubscription never = new MqttSubscription("rh/paho", 1);
        never.setRetainHandling(2);

        client.subscribe(new MqttProperties(), never);
        client.expectNothingFor(QUIET);
        MqttSubscription always = new MqttSubscription("rh/paho", 1);
        always.setRetainHandling(0);
        client.subscribe(new MqttProperties(), always);

        Paho5.Received received = client.next();
        assertThat(received.payload()).isEqualTo("kept");
        assertThat(received.message().isRetained()).isTrue();
    }

    private void retain(String topic, String payload) {
        RawClient5 publisher = broker.rawConnected("retainer-" + System.nanoTime());
        publisher.send(Wire.publish(topic, payload.getBytes(), 1, true, 1, Properties.none()));
        publisher.expect(PacketType.PUBACK);
    }
}
