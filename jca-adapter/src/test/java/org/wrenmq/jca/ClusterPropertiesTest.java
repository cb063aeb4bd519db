package org.wrenmq.jca;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;
import org.eclipse.paho.mqttv5.client.IMqttMessageListener;
import org.eclipse.paho.mqttv5.client.MqttClient;
import org.eclipse.paho.mqttv5.client.persist.MemoryPersistence;
import org.eclipse.paho.mqttv5.common.MqttSubscription;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.wrenmq.broker.ClusterConfig;
import org.wrenmq.broker.testing.FreePorts;

/**
 * {@code clusterName}, {@code clusterListener}, {@code clusterMembers} and {@code clusterBackupCount} make the
 * embedded broker a cluster node as the keys {@code cluster_*} do: two adapters (as two application servers
 * would run them) form one cluster, and a message published on one's MQTT port reaches a subscriber on the other's.
 */
@Timeout(120)
class ClusterPropertiesTest {
    private final List<WrenResourceAdapter> adapters = new ArrayList<>();
    private final List<MqttClient> clients = new ArrayList<>();

    @AfterEach
    void stop() throws Exception {
        for (MqttClient c : clients) {
            c.disconnect();
            c.close();
        }
        adapters.forEach(WrenResourceAdapter::stop);
    }

    @Test
    void clusterPropertiesBecomeTheBrokersClusterKeys() {
        WrenResourceAdapter adapter = new WrenResourceAdapter();
        adapter.setClusterName("plant-7");
        adapter.setClusterListener("5702 127.0.0.1");
        adapter.setClusterMembers("127.0.0.1:5701, 127.0.0.1:5702");
        adapter.setClusterBackupCount(2);

        assertThat(adapter.embeddedBrokerConfig().cluster()).isEqualTo(new ClusterConfig("plant-7", 5702,
                "127.0.0.1", List.of("127.0.0.1:5701", "127.0.0.1:5702"), 2));
    }

    @Test
    void withoutClusterNameTheBrokerIsASingleNode() {
        assertThat(new WrenResourceAdapter().embeddedBrokerConfig().cluster()).isNull();
    }

    @Test
    void twoAdaptersWithTheSameClusterNameFormOneCluster() throws Exception {
        int[] ports = FreePorts.loopback(4);
        String members = "127.0.0.1:" + ports[2] + ",127.0.0.1:" + ports[3];
        Thread other = new Thread(() -> start(ports[1], ports[3], members));
        other.start();
        start(ports[0], ports[2], members);
        other.join();

        AtomicReference<String> received = new AtomicReference<>();
        IMqttMessageListener listener = (topic, m) -> received.set(topic + " " + new String(m.getPayload()));
        client(ports[1], "reader").subscribe(new MqttSubscription[] {new MqttSubscription("orders/+", 1)},
                new IMqttMessageListener[] {listener});
        MqttClient writer = client(ports[0], "writer");
        await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(200)).until(() -> {
            writer.publish("orders/placed", "42".getBytes(), 1, false);
            return received.get() != null;
        });

        assertThat(received.get()).isEqualTo("orders/placed 42");
    }

    private void start(int mqttPort, int clusterPort, String members) {
        WrenResourceAdapter adapter = new WrenResourceAdapter();
        adapter.setPort(mqttPort);
        adapter.setBindAddress("127.0.0.1");
        adapter.setAllowAnonymous(true);
        adapter.setPersistence(false);
        adapter.setClusterName("jca-test");
        adapter.setClusterListener(clusterPort + " 127.0.0.1");
        adapter.setClusterMembers(members);
        try {
            adapter.start(null);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
        synchronized (adapters) {
            adapters.add(adapter);
        }
    }

    private MqttClient client(int port, String id) throws Exception {
        MqttClient c = new MqttClient("tcp://127.0.0.1:" + port, id, new MemoryPersistence());
        c.connect();
        clients.add(c);
        return c;
    }

}
