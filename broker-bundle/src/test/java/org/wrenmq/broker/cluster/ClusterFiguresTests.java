package org.wrenmq.broker.cluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import org.eclipse.paho.client.mqttv3.MqttClient;
import org.eclipse.paho.client.mqttv3.persist.MemoryPersistence;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.wrenmq.broker.Broker;
import org.wrenmq.broker.testing.FreePorts;

/**
 * What a node of a cluster tells about itself and the cluster, read as an operator reads it: {@code $SYS} by a
 * real client, {@code /metrics} over HTTP. Two nodes in this JVM, messages crossing from node 1 to node 2.
 */
@Timeout(120)
class ClusterFiguresTests {
    private static final Duration PATIENCE = Duration.ofSeconds(30);

    private final List<Broker> nodes = new ArrayList<>();
    private final List<MqttClient> clients = new ArrayList<>();

    @AfterEach
    void stop() throws Exception {
        for (MqttClient c : clients) {
            c.disconnect();
            c.close();
        }
        nodes.forEach(Broker::close);
    }

    @Test
    void sysShowsTheNodesThisNodeAndTheMessagesForwardedAndReceived() throws Exception {
        int[] clusterPorts = startTwoNodes();
        AtomicInteger crossed = crossOneMessageFromNode1ToNode2();
        Map<String, String> onNode1 = sys(0);
        Map<String, String> onNode2 = sys(1);

        await().atMost(PATIENCE).untilAsserted(() -> {
            assertThat(onNode1).containsEntry("cluster/nodes", "2").containsEntry("cluster/name", "figures");
            assertThat(onNode2).containsEntry("cluster/nodes", "2");
            assertThat(Long.parseLong(onNode1.getOrDefault("cluster/messages/forwarded", "0")))
                    .isGreaterThanOrEqualTo(crossed.get());
            assertThat(Long.parseLong(onNode2.getOrDefault("cluster/messages/received", "0")))
                    .isGreaterThanOrEqualTo(crossed.get());
        });
        assertThat(onNode1.get("cluster/node")).as("this node: its member id and address")
                .matches("[0-9a-f-]{36} 127\\.0\\.0\\.1:" + clusterPorts[0]);
        assertThat(onNode2.get("cluster/node")).endsWith(" 127.0.0.1:" + clusterPorts[1]);
        assertThat(onNode1).containsKeys("cluster/subscriptions/remote_filters", "cluster/sessions/moved_in");
        assertThat(onNode1.get("cluster/messages/received")).as("nothing came back to node 1").isEqualTo("0");
    }

    @Test
    void metricsShowTheSameFiguresWithPrometheusNames() throws Exception {
        startTwoNodes();
        AtomicInteger crossed = crossOneMessageFromNode1ToNode2();

        String node1 = scrape(0);
        String node2 = scrape(1);

        assertThat(node1).contains("wrenmq_cluster_nodes 2.0")
                .containsPattern("(?m)^wrenmq_cluster_messages_forwarded_total [1-9][0-9]*\\.0$")
                .contains("# TYPE wrenmq_cluster_sessions_moved_total counter",
                        "wrenmq_cluster_sessions_moved_total{direction=\"in\"} 0.0",
                        "wrenmq_cluster_messages_unreadable_total 0.0", "wrenmq_cluster_remote_filters ",
                        "wrenmq_cluster_sessions_taken_over_total 0.0");
        assertThat(node2).contains("wrenmq_cluster_nodes 2.0")
                .containsPattern("(?m)^wrenmq_cluster_messages_received_total [1-9][0-9]*\\.0$");
        assertThat(crossed.get()).isPositive();
    }

    @Test
    void aSingleBrokerShowsNoClusterFigures() throws Exception {
        nodes.add(Broker.builder().listener(0, "127.0.0.1").set("allow_anonymous", "true")
                .set("persistence", "false").set("http_listener", "0").build().start());

        assertThat(scrape(0)).contains("wrenmq_clients_connected").doesNotContain("wrenmq_cluster_");
    }

    /** Two nodes with $SYS every second and an HTTP listener; returns their cluster ports. */
    private int[] startTwoNodes() throws Exception {
        int[] ports = FreePorts.loopback(2);
        String members = "127.0.0.1:" + ports[0] + ",127.0.0.1:" + ports[1];
        List<CompletableFuture<Broker>> starting = new ArrayList<>();
        for (int port : ports) {
            starting.add(CompletableFuture.supplyAsync(() -> Broker.builder().listener(0, "127.0.0.1")
                    .set("allow_anonymous", "true").set("persistence", "false").set("sys_interval", "1")
                    .set("http_listener", "0").set("cluster_name", "figures")
                    .set("cluster_listener", port + " 127.0.0.1").set("cluster_members", members).build()
                    .start()));
        }
        starting.forEach(f -> nodes.add(f.join()));
        return ports;
    }

    /** Publishes on node 1 until node 2's subscriber got a message; returns how many it got. */
    private AtomicInteger crossOneMessageFromNode1ToNode2() throws Exception {
        AtomicInteger received = new AtomicInteger();
        client(1, "reader").subscribe("plant/+/level", 1, (topic, m) -> received.incrementAndGet());
        MqttClient writer = client(0, "writer");
        await().atMost(PATIENCE).pollInterval(Duration.ofMillis(200)).until(() -> {
            writer.publish("plant/tank-1/level", "80".getBytes(), 1, false);
            return received.get() > 0;
        });
        return received;
    }

    /** Every {@code $SYS/broker/cluster/...} value node {@code i} publishes, kept up to date. */
    private Map<String, String> sys(int i) throws Exception {
        Map<String, String> values = new ConcurrentHashMap<>();
        client(i, "sys-watcher-" + i).subscribe("$SYS/broker/cluster/#", 0, (topic, m) ->
                values.put(topic.substring("$SYS/broker/".length()), new String(m.getPayload())));
        return values;
    }

    private MqttClient client(int node, String id) throws Exception {
        MqttClient c = new MqttClient("tcp://127.0.0.1:" + nodes.get(node).port(), id, new MemoryPersistence());
        c.connect();
        clients.add(c);
        return c;
    }

    private String scrape(int node) throws Exception {
        URI uri = URI.create("http://127.0.0.1:" + nodes.get(node).httpAddress().getPort() + "/metrics");
        HttpResponse<String> response = HttpClient.newHttpClient().send(HttpRequest.newBuilder(uri).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).isEqualTo(200);
        return response.body();
    }
}
