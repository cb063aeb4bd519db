package org.wrenmq.broker.conformance;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.Comparator;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.stream.Stream;

import org.eclipse.paho.client.mqttv3.MqttException;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.wrenmq.broker.Broker;

/**
 * A fresh in-process broker for each test, listening on a free loopback port, plus the clients the test opened
 * through it. The broker starts on first use, so a test can first change settings with {@link #set}; after the
 * test, the clients and then the broker are closed. The broker keeps its state in memory ({@code persistence
 * false}) unless a test turns persistence on; then its store lives in a folder of its own, deleted afterwards, so
 * no test sees what an earlier one left.
 */
final class BrokerExtension implements AfterEachCallback {
    private final Map<String, String> settings =
            new LinkedHashMap<>(Map.of("allow_anonymous", "true", "persistence", "false"));
    private final Deque<AutoCloseable> clients = new ArrayDeque<>();
    private Broker broker;
    private Path storeDir;

    /** A mosquitto-style setting for the broker this test will start. */
    BrokerExtension set(String key, String value) {
        if (broker != null) {
            throw new IllegalStateException("the broker already started; set " + key + " before first use");
        }
        settings.put(key, value);
        return this;
    }

    Broker broker() {
        if (broker == null) {
            if (storeDir == null) {
                storeDir = createStoreDir();
            }
            Broker.Builder builder = Broker.builder().listener(0, "127.0.0.1")
                    .set("persistence_location", storeDir.toString());
            settings.forEach(builder::set);
            broker = builder.build().start();
        }
        return broker;
    }

    /**
     * Stops the broker and starts a new one with the same settings and store, as an operator's restart would.
     * Clients must connect again, to the new port.
     */
    void restart() {
        broker().close();
        broker = null;
        broker();
    }

    int port() {
        return broker().port();
    }

    RawClient raw() {
        return track(RawClient.open(port()));
    }

    /** A raw MQTT 3.1.1 client, connected with the given session choice. */
    RawClient rawConnected(String clientId, boolean cleanSession) {
        return raw().connectAccepted(Packets.connect(clientId).cleanSession(cleanSession));
    }

    /** A Paho client, not yet connected. */
    PahoClient paho(String clientId) {
        return track(new PahoClient(port(), clientId));
    }

    /** A Paho MQTT 3.1.1 client with a clean session, connected. */
    PahoClient pahoConnected(String clientId) throws MqttException {
        return paho(clientId).connect(PahoClient.MQTT_3_1_1, true);
    }

    /** A connected client that can show the broker still serves its other clients. */
    Bystander bystander() throws MqttException {
        return new Bystander(pahoConnected("bystander"));
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
                // the broker may already have closed it; the test's own assertions said what mattered
            }
        }
        if (broker != null) {
            broker.close();
        }
        if (storeDir != null) {
            deleteRecursively(storeDir);
        }
    }

    private static Path createStoreDir() {
        try {
            return Files.createTempDirectory("wrenmq-conformance-store");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void deleteRecursively(Path dir) {
        try (Stream<Path> paths = Files.walk(dir)) {
            paths.sorted(Comparator.reverseOrder()).forEach(path -> path.toFile().delete());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
