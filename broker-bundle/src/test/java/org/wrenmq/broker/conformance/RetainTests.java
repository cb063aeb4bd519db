package org.wrenmq.broker.conformance;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;

import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** OASIS MQTT 3.1.1 section 3.3.1.3: the RETAIN flag and retained messages. */
@DisplayName("3.3.1.3 Retained messages")
class RetainTests {
    private static final String TOPIC = "floor-5/temperature";

    @RegisterExtension
    final BrokerExtension broker = new BrokerExtension();

    @Test
    @DisplayName("[MQTT-3.3.1-5] [MQTT-3.3.1-6] [MQTT-3.3.1-8] a retained message is stored and sent to a later subscriber with RETAIN 1")
    void retainedMessageIsDeliveredToLateSubscriberWithRetainFlagSet() throws Exception {
        broker.pahoConnected("pub").publish(TOPIC, "15", 1, true);

        PahoClient subscriber = broker.pahoConnected("sub");
        subscriber.subscribe(TOPIC, 1);

        assertThat(subscriber.next()).isEqualTo(new Received(TOPIC, "15", 1, true, false));
    }

    @Test
    @DisplayName("[MQTT-3.3.1-5] [MQTT-3.3.1-7] a newer retained message, even at QoS 0, replaces the older one")
    void newerRetainedMessageReplacesOlder() throws Exception {
        PahoClient publisher = broker.pahoConnected("pub");
        publisher.publish(TOPIC, "14", 2, true);
        publisher.publish(TOPIC, "15", 0, true);
        publisher.publish("floor-5/sync", "", 1); // QoS 1 round trip: the QoS 0 message above is processed

        PahoClient subscriber = broker.pahoConnected("sub");
        subscriber.subscribe(TOPIC, 2);

        assertThat(subscriber.next()).isEqualTo(new Received(TOPIC, "15", 0, true, false));
        assertNoRetainedMessageFollows(subscriber, publisher);
    }

    @Test
    @DisplayName("[MQTT-3.3.1-10] [MQTT-3.3.1-11] an empty retained message is delivered to current subscribers and clears the retained one")
    void emptyRetainedMessageClearsTheRetainedOne() throws Exception {
        PahoClient publisher = broker.pahoConnected("pub");
        publisher.publish(TOPIC, "15", 1, true);
        PahoClient current = broker.pahoConnected("current");
        current.subscribe(TOPIC, 1);
        assertThat(current.next().payload()).isEqualTo("15");

        publisher.publish(TOPIC, "", 1, true);

        assertThat(current.next()).isEqualTo(new Received(TOPIC, "", 1, false, false));
        PahoClient late = broker.pahoConnected("late");
        late.subscribe(TOPIC, 1);
        assertNoRetainedMessageFollows(late, publisher);
    }

    @Test
    @DisplayName("[MQTT-3.3.1-12] a PUBLISH with RETAIN 0 neither stores nor replaces the retained message")
    void nonRetainedPublishLeavesTheRetainedMessageAlone() throws Exception {
        PahoClient publisher = broker.pahoConnected("pub");
        publisher.publish(TOPIC, "15", 1, true);
        publisher.publish(TOPIC, "16", 1, false);
        publisher.publish("floor-5/humidity", "40", 1, false);

        PahoClient subscriber = broker.pahoConnected("sub");
        subscriber.subscribe("floor-5/#", 1);

        assertThat(subscriber.next()).isEqualTo(new Received(TOPIC, "15", 1, true, false));
        assertNoRetainedMessageFollows(subscriber, publisher);
    }

    @Test
    @DisplayName("[MQTT-3.3.1-9] a retained PUBLISH reaches existing subscribers with RETAIN 0")
    void liveMessagesToExistingSubscribersHaveRetainFlagClear() throws Exception {
        PahoClient subscriber = broker.pahoConnected("sub");
        subscriber.subscribe(TOPIC, 1);

        broker.pahoConnected("pub").publish(TOPIC, "15", 1, true);

        assertThat(subscriber.next()).isEqualTo(new Received(TOPIC, "15", 1, false, false));
    }

    @Test
    @DisplayName("[MQTT-3.3.1-6] a wildcard subscription receives the retained message of every matching topic")
    void wildcardSubscriptionReceivesEveryMatchingRetainedMessage() throws Exception {
        PahoClient publisher = broker.pahoConnected("pub");
        publisher.publish("floor-5/temperature", "15", 1, true);
        publisher.publish("floor-6/temperature", "16", 1, true);
        publisher.publish("floor-6/humidity", "40", 1, true);

        PahoClient subscriber = broker.pahoConnected("sub");
        subscriber.subscribe("+/temperature", 1);

        List<Received> received = subscriber.next(2);
        assertThat(received).extracting(Received::topic)
                .containsExactlyInAnyOrder("floor-5/temperature", "floor-6/temperature");
        assertThat(received).allMatch(Received::retained);
    }

    @Test
    @DisplayName("[MQTT-3.3.1-5] [MQTT-3.8.4-6] a retained message keeps its QoS, delivered at most at the granted QoS")
    void retainedMessageQosIsCappedByGrantedQos() throws Exception {
        PahoClient publisher = broker.pahoConnected("pub");
        publisher.publish("q/two", "2", 2, true);
        publisher.publish("q/one", "1", 1, true);

        PahoClient atOne = broker.pahoConnected("at-one");
        atOne.subscribe("q/two", 1);
        assertThat(atOne.next().qos()).isEqualTo(1);
        PahoClient atTwo = broker.pahoConnected("at-two");
        atTwo.subscribe("q/one", 2);
        assertThat(atTwo.next().qos()).isEqualTo(1);
    }

    @Test
    @DisplayName("[MQTT-3.8.4-3] subscribing again to the same filter sends the retained messages again")
    void resubscribingResendsRetainedMessages() throws Exception {
        broker.pahoConnected("pub").publish(TOPIC, "15", 1, true);
        PahoClient subscriber = broker.pahoConnected("sub");
        subscriber.subscribe(TOPIC, 1);
        assertThat(subscriber.next().retained()).isTrue();

        subscriber.subscribe(TOPIC, 1);

        assertThat(subscriber.next()).isEqualTo(new Received(TOPIC, "15", 1, true, false));
    }

    /** The subscriber's next message on {@link #TOPIC} is a fresh live one, so no retained message was queued before. */
    private static void assertNoRetainedMessageFollows(PahoClient subscriber, PahoClient publisher) throws Exception {
        publisher.publish(TOPIC, "live", 1, false);
        assertThat(subscriber.next()).isEqualTo(new Received(TOPIC, "live", 1, false, false));
    }
}
