package org.wrenmq.broker.mqtt5;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.IntStream;

import org.eclipse.paho.mqttv5.common.MqttException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.wrenmq.broker.testing.PacketType;

/**
 * Shared subscriptions {@code $share/GROUP/FILTER} (section 4.8.2): each message to one member of each group,
 * round robin; a leaving member's unacknowledged QoS 1 messages go to another member; no retained messages.
 */
class SharedSubscriptionTests {
    private static final Duration QUIET = Duration.ofMillis(500);

    @RegisterExtension
    final Mqtt5Broker broker = new Mqtt5Broker();

    /** Section 4.8.2: messages are spread round robin over the members, each message to exactly one. */
    @Test
    void messagesGoRoundRobinToTheMembers() throws MqttException {
        List<Paho5> members = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            members.add(broker.paho("worker-" + i).connect().subscribe("$share/workers/jobs/+", 1));
        }

        publish("jobs/x", 9);

        Set<String> all = new HashSet<>();
        for (Paho5 member : members) {
            List<String> got = member.next(3).stream().map(Paho5.Received::payload).toList();
            member.expectNothingFor(Duration.ofMillis(200));
            all.addAll(got);
        }
        assertThat(all).hasSize(9);
    }

    /** Section 4.8.2: each group gets its own copy, and so does a non-shared subscription. */
    @Test
    void everyGroupAndPlainSubscriberGetsACopy() throws MqttException {
        Paho5 groupA = broker.paho("a1").connect().subscribe("$share/a/news", 1);
        Paho5 groupB = broker.paho("b1").connect().subscribe("$share/b/news", 1);
        Paho5 plain = broker.paho("plain").connect().subscribe("news", 1);

        publish("news", 1);

        assertThat(groupA.next().payload()).isEqualTo("0");
        assertThat(groupB.next().payload()).isEqualTo("0");
        assertThat(plain.next().payload()).isEqualTo("0");
    }

    /** Section 4.8.2: retained messages are not sent to a shared subscription. */
    @Test
    void noRetainedMessagesOnASharedSubscription() {
        RawClient5 publisher = broker.rawConnected("sh-retainer");
        publisher.send(Wire.publish("sh/kept", "old".getBytes(), 1, true, 1, Properties.none()));
        publisher.expect(PacketType.PUBACK);

        RawClient5 member = broker.rawConnected("sh-member");
        member.subscribe(1, "$share/g/sh/kept", 1, Properties.none());

        member.expectNothingFor(QUIET);
    }

    /**
     * Section 4.8.2: the QoS 1 messages a member received but did not acknowledge go to another member when its
     * session ends.
     */
    @Test
    void unacknowledgedMessagesOfALeavingMemberGoToAnother() throws MqttException {
        RawClient5 silent = broker.rawConnected("silent");
        silent.subscribe(1, "$share/g/sh/work", 1, Properties.none());
        Paho5 diligent = broker.paho("diligent").connect().subscribe("$share/g/sh/work", 1);

        publish("sh/work", 10);
        List<String> unacked = new ArrayList<>();
        while (true) {
            var f = silent.poll(Duration.ofMillis(300));
            if (f.isEmpty()) {
                break;
            }
            unacked.add(f.get().payload());
        }
        assertThat(unacked).as("round robin gave the silent member some").isNotEmpty();
        silent.close();

        List<String> received = diligent.next(10).stream().map(Paho5.Received::payload).toList();
        assertThat(received).containsExactlyInAnyOrderElementsOf(
                IntStream.range(0, 10).mapToObj(String::valueOf).toList());
    }

    /** [MQTT-4.8.2-3]: each member gets the message at the QoS it was granted. */
    @Test
    void eachMemberGetsItsGrantedQos() {
        RawClient5 qos0 = broker.rawConnected("sh-q0");
        qos0.subscribe(1, "$share/q/sh/qos", 0, Properties.none());
        RawClient5 qos1 = broker.rawConnected("sh-q1");
        qos1.subscribe(1, "$share/q/sh/qos", 1, Properties.none());

        publish("sh/qos", 2);

        assertThat(qos0.expect(PacketType.PUBLISH).qos()).isZero();
        assertThat(qos1.expect(PacketType.PUBLISH).qos()).isEqualTo(1);
    }

    /** [MQTT-4.8.2-2]: a share name with a wildcard is not a valid shared subscription: SUBACK 0x8F. */
    @Test
    void shareNameWithWildcardIsRefused() {
        RawClient5 client = broker.rawConnected("sh-bad");

        client.send(Wire.subscribe(1, "$share/#/sh/t", 1, Properties.none()));

        assertThat(client.expect(PacketType.SUBACK).reasonCodes()).containsExactly(0x8F);
    }

    private void publish(String topic, int count) {
        RawClient5 publisher = broker.rawConnected("pub-" + System.nanoTime());
        for (int i = 0; i < count; i++) {
            publisher.send(Wire.publish(topic, String.valueOf(i), 1, i + 1));
            publisher.expect(PacketType.PUBACK);
        }
    }
}
