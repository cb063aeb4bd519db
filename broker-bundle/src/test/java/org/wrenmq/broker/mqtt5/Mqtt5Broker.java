package org.wrenmq.broker.mqtt5;

import static org.awaitility.Awaitility.await;

import java.time.Duration;

import org.wrenmq.broker.testing.InProcessBroker;

/** The in-process broker of the MQTT 5 tests, and the clients they open through it. */
final class Mqtt5Broker extends InProcessBroker {
    /** A mosquitto-style setting (see BrokerConfig) for the broker this test will start. */
    Mqtt5Broker set(String key, String value) {
        put(key, value);
        return this;
    }

    /** The broker's time moves only when the test advances {@link #clock()}. */
    Mqtt5Broker withManualClock() {
        useManualClock();
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
     * Leaves behind the session of the client id, subscribed to the filter at QoS 1 and lasting the given interval
     * after its connection ended with a normal DISCONNECT.
     */
    void leaveOfflineSession(String clientId, String filter, long expirySeconds) {
        RawClient5 client = raw().connectAccepted(Wire.connect(clientId).sessionExpiry(expirySeconds));
        client.subscribe(filter, 1);
        client.send(Wire.disconnect());
        awaitOffline(clientId);
    }

    /** Waits until the client id has no live connection (its session may stay). */
    void awaitOffline(String clientId) {
        await().atMost(RawClient5.PATIENCE).until(() -> broker().clients().stream()
                .noneMatch(c -> c.clientId().equals(clientId) && c.connected()));
    }

    /** Waits until the broker holds no session for the client id. */
    void awaitSessionEnded(String clientId) {
        await().atMost(RawClient5.PATIENCE).until(() -> broker().clients().stream()
                .noneMatch(c -> c.clientId().equals(clientId)));
    }
}
