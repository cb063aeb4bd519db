package org.wrenmq.broker.mqtt5;

import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.Map;

import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.wrenmq.broker.Broker;

/**
 * A fresh in-process broker per test on a free loopback port, and the clients the test opened through it. The
 * broker starts on first use, so a test may first change settings with {@link #set}; afterwards the clients and
 * then the broker are closed.
 */
final class Mqtt5Broker implements AfterEachCallback {
    /** Anonymous clients, and no store: WrenMQ is durable by default, and tests must not share a store file. */
    private final Map<String, String> settings = new LinkedHashMap<>(Map.of("allow_anonymous", "true",
            "persistence", "false"));
    private final Deque<AutoCloseable> clients = new ArrayDeque<>();
    private Broker broker;

    /** A mosquitto-style setting (see BrokerConfig) for the broker this test will start. */
    Mqtt5Broker set(String key, String value) {
        if (broker != null) {
            throw new IllegalStateException("the broker already started; set " + key + " before first use");
        }
        settings.put(key, value);
        return this;
    }

    Broker broker() {
        if (broker == null) {
            Broker.Builder builder = Broker.builder().listener(0, "127.0.0.1");
            settings.forEach(builder::set);
            broker = builder.build().start();
        }
        return broker;
    }

    int port() {
        return broker().port();
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

    private <T extends AutoCloseable> T track(T client) {
        clients.push(client);
        return client;
    }

    @Override
    public void afterEach(ExtensionContext context) {
        while (!clients.isEmpty()) {
            try {
                clients.pop().close();
            } catch (Exception | AssertionError e) {
                // the broker may have closed it already; the test's own assertions said what mattered
            }
        }
        if (broker != null) {
            broker.close();
        }
    }
}
