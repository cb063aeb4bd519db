package org.wrenmq.broker.mqtt5;

import java.time.Duration;

import org.wrenmq.broker.testing.InProcessBroker;

/** The in-process broker of the MQTT 5 tests, and the clients they open through it. */
final class Mqtt5Broker extends InProcessBroker {
    /** A mosquitto-style setting (see BrokerConfig) for the broker this test will start. */
    Mqtt5Broker set(String key, String value) {
        put(key, value);
        return this;
    }

    long counter(String name) {
        return broker().counters().get(name);
    }

    RawClient5 raw() {
        return track(RawClient5.open(port()));
    }

    /** A raw MQTT 5 client, connected with clean start and no other properties. */
    RawClient5 rawConnected(String clientId) {
        return raw().connectAccepted(Wire.connect(clientId));
    }

    /** A Paho MQTT 5 client, not yet connected. */
    Paho5 paho(String clientId) {
        return track(new Paho5(port(), clientId));
    }

    /**
     * Waits while an interval runs out (message expiry): the broker drops expired messages lazily, when it would
     * send them, so there is no state to await, only the clock.
     */
    static void letTimePass(Duration duration) {
        try {
            Thread.sleep(duration.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
