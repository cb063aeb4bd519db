package org.wrenmq.broker.cluster;

import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;
import org.eclipse.paho.mqttv5.client.MqttConnectionOptions;
import org.wrenmq.broker.conformance.RawClient;
import org.wrenmq.broker.mqtt5.Paho5;

/** The MQTT clients a cluster test opens on its nodes, all closed after the test ({@link #close}). */
final class NodeClients implements AutoCloseable {
    private final Supplier<ThreeNodes> cluster;
    private final List<AutoCloseable> open = new ArrayList<>();

    /** @param cluster the nodes, asked each time (a test class may start them after making this) */
    NodeClients(Supplier<ThreeNodes> cluster) {
        this.cluster = cluster;
    }

    /** A raw MQTT 3.1.1 client on node {@code node}'s port, not connected yet. */
    RawClient raw(int node) {
        return add(RawClient.open(cluster.get().port(node)));
    }

    /** A Paho MQTT 5 client named {@code id}, connected to node {@code node} with a clean start. */
    Paho5 paho(int node, String id) throws Exception {
        return add(new Paho5(cluster.get().port(node), id)).connect();
    }

    /** {@code client}, closed with the others after the test. */
    <T extends AutoCloseable> T add(T client) {
        open.add(client);
        return client;
    }

    /**
     * The persistent session {@code id} on node {@code node}, subscribed to {@code filter} at QoS 1, its client
     * disconnected; returns once the node has it offline.
     */
    void persistentOffline(int node, String id, String filter) throws Exception {
        Paho5 client = new Paho5(cluster.get().port(node), id);
        client.connect(persistent());
        client.subscribe(filter, 1);
        client.disconnect();
        client.close();
        await().atMost(Duration.ofSeconds(30)).until(() -> !cluster.get().session(node, id).connected());
    }

    /** MQTT 5 options for a persistent session: no clean start, an hour's expiry. */
    static MqttConnectionOptions persistent() {
        MqttConnectionOptions options = Paho5.options();
        options.setCleanStart(false);
        options.setSessionExpiryInterval(3600L);
        return options;
    }

    @Override
    public void close() throws Exception {
        for (AutoCloseable c : open) {
            c.close();
        }
        open.clear();
    }
}
