package org.wrenmq.broker.mqtt5;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.wrenmq.broker.testing.PacketType;

/**
 * Message Expiry Interval: a message whose interval passed before delivery started is never delivered
 * [MQTT-3.3.2-5]; a forwarded message carries what is left of its interval [MQTT-3.3.2-6].
 */
class MessageExpiryTests {
    private static final Duration QUIET = Duration.ofMillis(500);

    @RegisterExtension
    final Mqtt5Broker broker = new Mqtt5Broker().withManualClock();

    /** [MQTT-3.3.2-5]: messages that expire while queued for an offline session are dropped, and counted. */
    @Test
    void expiredQueuedMessageIsNeverDelivered() {
        broker.leaveOfflineSession("offline", "me/t", 60);

        publish("me/t", "short lived", expiry(1));
        publish("me/t", "immortal", Properties.none());
        broker.clock().advance(Duration.ofSeconds(2));

        RawClient5 back = broker.raw();
        back.connectAccepted(Wire.connect("offline").cleanStart(false).sessionExpiry(60));
        Frame only = back.expect(PacketType.PUBLISH);
        assertThat(only.payload()).isEqualTo("immortal");
        back.send(Wire.puback(only.packetId()));
        back.expectNothingFor(QUIET);
        assertThat(broker.counter("messages.dropped.expired")).isEqualTo(1);
    }

    /** [MQTT-3.3.2-5]: a message that expires waiting behind a full receive window is never sent. */
    @Test
    void messageExpiringBehindTheWindowIsNeverDelivered() {
        RawClient5 subscriber = broker.raw().connectAccepted(Wire.connect("narrow")
                .property(Property.RECEIVE_MAXIMUM, 1));
        subscriber.subscribe("me/w", 1);
        publish("me/w", "first", Properties.none());
        publish("me/w", "expires waiting", expiry(1));
        publish("me/w", "last", Properties.none());
        Frame first = subscriber.expect(PacketType.PUBLISH);
        broker.clock().advance(Duration.ofSeconds(2));

        subscriber.send(Wire.puback(first.packetId()));

        assertThat(subscriber.expect(PacketType.PUBLISH).payload()).isEqualTo("last");
    }

    /** [MQTT-3.3.2-6]: a message forwarded after waiting carries its interval minus the time it waited. */
    @Test
    void forwardedMessageCarriesTheRemainingInterval() {
        broker.leaveOfflineSession("late", "me/r", 60);
        publish("me/r", "aging", expiry(10));
        broker.clock().advance(Duration.ofSeconds(2));

        RawClient5 back = broker.raw();
        back.connectAccepted(Wire.connect("late").cleanStart(false).sessionExpiry(60));

        Frame forwarded = back.expect(PacketType.PUBLISH);
        assertThat(forwarded.properties().number(Property.MESSAGE_EXPIRY_INTERVAL))
                .hasValue(8L);
    }

    /** [MQTT-3.3.2-6]: a message forwarded at once keeps its whole interval. */
    @Test
    void immediatelyForwardedMessageKeepsItsInterval() {
        RawClient5 subscriber = broker.rawConnected("prompt").subscribe("me/p", 1);

        publish("me/p", "fresh", expiry(30));

        assertThat(subscriber.expect(PacketType.PUBLISH).properties().number(Property.MESSAGE_EXPIRY_INTERVAL))
                .hasValue(30L);
    }

    /** [MQTT-3.3.2-5]: an expired retained message is not sent to a new subscriber. */
    @Test
    void expiredRetainedMessageIsNotDelivered() {
        RawClient5 publisher = broker.rawConnected("retainer");
        publisher.send(Wire.publish("me/retained", "old news".getBytes(), 1, true, 1, expiry(1)));
        publisher.expect(PacketType.PUBACK);
        broker.clock().advance(Duration.ofSeconds(2));

        RawClient5 subscriber = broker.rawConnected("newcomer").subscribe("me/retained", 1);

        subscriber.expectNothingFor(QUIET);
    }

    /** [MQTT-3.3.2-6]: a retained message sent at subscribe carries what is left of its interval. */
    @Test
    void retainedMessageCarriesTheRemainingInterval() {
        RawClient5 publisher = broker.rawConnected("retainer2");
        publisher.send(Wire.publish("me/kept", "news".getBytes(), 1, true, 1, expiry(10)));
        publisher.expect(PacketType.PUBACK);
        broker.clock().advance(Duration.ofSeconds(2));

        RawClient5 subscriber = broker.rawConnected("reader").subscribe("me/kept", 1);

        Frame retained = subscriber.expect(PacketType.PUBLISH);
        assertThat(retained.retain()).isTrue();
        assertThat(retained.properties().number(Property.MESSAGE_EXPIRY_INTERVAL))
                .hasValue(8L);
    }

    private static Properties expiry(long seconds) {
        return Properties.none().add(Property.MESSAGE_EXPIRY_INTERVAL, seconds);
    }

    private void publish(String topic, String payload, Properties props) {
        RawClient5 publisher = broker.rawConnected("pub-" + System.nanoTime());
        publisher.send(Wire.publish(topic, payload.getBytes(), 1, false, 1, props));
        publisher.expect(PacketType.PUBACK);
    }
}
