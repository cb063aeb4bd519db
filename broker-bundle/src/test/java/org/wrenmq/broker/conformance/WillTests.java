package org.wrenmq.broker.conformance;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;

import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** OASIS MQTT 3.1.1 section 3.1.2.5-3.1.2.7: the will message. */
@DisplayName("3.1.2.5 Will messages")
class WillTests {
    private static final String WILL_TOPIC = "clients/sensor-1/status";

    @RegisterExtension
    final BrokerExtension broker = new BrokerExtension().withManualClock();

    @Test
    @DisplayName("[MQTT-3.1.2-8] the will is published when the connection drops without DISCONNECT")
    void willIsPublishedOnUncleanDisconnect() throws Exception {
        PahoClient watcher = watcher();
        RawClient sensor = broker.raw().connectAccepted(Packets.connect("sensor-1").will(WILL_TOPIC, "offline", 1, false));

        sensor.close();

        assertThat(watcher.next()).isEqualTo(new Received(WILL_TOPIC, "offline", 1, false, false));
    }

    @Test
    @DisplayName("[MQTT-3.1.2-8] [MQTT-3.1.2-24] the will is published when keep alive runs out (after 1.5 x keep alive)")
    void willIsPublishedOnKeepAliveTimeout() throws Exception {
        PahoClient watcher = watcher();
        broker.raw().connectAccepted(Packets.connect("sensor-1").keepAlive(1).will(WILL_TOPIC, "timed out", 1, false));

        broker.clock().advance(Duration.ofMillis(1400));
        broker.pahoConnected("sentinel").publish(WILL_TOPIC, "sentinel", 1);
        assertThat(watcher.next().payload()).as("no will before 1.5 x keep alive").isEqualTo("sentinel");
        broker.clock().advance(Duration.ofMillis(600));

        assertThat(watcher.next().payload()).isEqualTo("timed out");
    }

    @Test
    @DisplayName("[MQTT-3.1.2-10] [MQTT-3.14.4-3] the will is discarded on DISCONNECT")
    void willIsDiscardedOnDisconnect() throws Exception {
        PahoClient watcher = watcher();
        RawClient sensor = broker.raw().connectAccepted(Packets.connect("sensor-1").will(WILL_TOPIC, "offline", 1, false));

        sensor.send(Packets.disconnect());
        sensor.expectClosedByBroker();
        broker.pahoConnected("sentinel").publish(WILL_TOPIC, "sentinel", 1);

        assertThat(watcher.next().payload()).isEqualTo("sentinel");
    }

    @Test
    @DisplayName("[MQTT-3.1.2-8] the will is published when the broker closes the connection for a protocol error")
    void willIsPublishedOnProtocolError() throws Exception {
        PahoClient watcher = watcher();
        RawClient sensor = broker.raw().connectAccepted(Packets.connect("sensor-1").will(WILL_TOPIC, "broken", 0, false));

        sensor.send(Packets.connect("sensor-1").bytes());

        sensor.expectClosedByBroker();
        assertThat(watcher.next().payload()).isEqualTo("broken");
    }

    @Test
    @DisplayName("[MQTT-3.1.2-17] a will with Will Retain 1 is published as a retained message")
    void retainedWillIsKeptForLaterSubscribers() throws Exception {
        RawClient sensor = broker.raw().connectAccepted(Packets.connect("sensor-1").will(WILL_TOPIC, "lost", 1, true));
        PahoClient watcher = watcher();

        sensor.close();
        assertThat(watcher.next().payload()).isEqualTo("lost");

        PahoClient late = broker.pahoConnected("late");
        late.subscribe(WILL_TOPIC, 1);
        assertThat(late.next()).isEqualTo(new Received(WILL_TOPIC, "lost", 1, true, false));
    }

    @Test
    @DisplayName("[MQTT-3.1.2-8] a Paho MQTT 3.1 client's will is published when it drops its connection")
    void mqtt31ClientWillIsPublished() throws Exception {
        PahoClient watcher = watcher();
        var options = PahoClient.options(PahoClient.MQTT_3_1, true);
        options.setWill(WILL_TOPIC, "gone".getBytes(), 2, false);
        PahoClient sensor = broker.paho("sensor-31");
        sensor.connect(options);

        sensor.dropConnection();

        assertThat(watcher.next()).isEqualTo(new Received(WILL_TOPIC, "gone", 2, false, false));
    }

    private PahoClient watcher() throws Exception {
        PahoClient watcher = broker.pahoConnected("watcher");
        watcher.subscribe(WILL_TOPIC, 2);
        return watcher;
    }
}
