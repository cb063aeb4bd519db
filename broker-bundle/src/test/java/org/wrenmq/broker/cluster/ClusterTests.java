package org.wrenmq.broker.cluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import org.eclipse.paho.mqttv5.client.MqttConnectionOptions;
import org.eclipse.paho.mqttv5.common.MqttMessage;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.wrenmq.broker.mqtt5.Paho5;

/**
 * Three brokers in one cluster (in this JVM, each its own Hazelcast member on loopback), real MQTT 5 clients:
 * what a client on one node sees of clients on the others. src-test/clients' ClusterIT does the same with three
 * ./wrenmq processes and mosquitto's clients.
 */
@Timeout(120)
@DisplayName("a cluster of three nodes")
class ClusterTests {
    private static final Duration PATIENCE = Duration.ofSeconds(20);
    private static ThreeNodes cluster;
    private static final AtomicInteger TEST = new AtomicInteger();
    private final List<Paho5> clients = new ArrayList<>();
    /** A topic prefix of this test's own, so tests sharing the cluster never see each other's messages. */
    private final String prefix = "t" + TEST.incrementAndGet() + "/";

    @BeforeAll
    static void startCluster() throws Exception {
        cluster = new ThreeNodes("tests");
    }

    @AfterAll
    static void stopCluster() {
        if (cluster != null) {
            cluster.close();
        }
    }

    @AfterEach
    void closeClients() throws Exception {
        for (Paho5 c : clients) {
            c.close();
        }
    }

    private Paho5 client(int node, String id) throws Exception {
        Paho5 c = new Paho5(cluster.port(node), id);
        clients.add(c);
        return c.connect();
    }

    /** Waits until {@code node} has taken in at least {@code atLeast} filters of other nodes since it started. */
    private void awaitRemoteFilters(int node, long atLeast) {
        await().atMost(PATIENCE).until(() -> cluster.counter(node, "cluster.subscriptions.remote_added") >= atLeast);
    }

    /**
     * Node 1 forwarded {@code copies} messages since its counter read {@code before}. It counts a copy just after
     * sending it, so the last one may reach its subscriber first: the count is awaited, then checked exactly.
     */
    private static void assertForwardedFromNode1(long before, long copies) {
        await().atMost(PATIENCE).until(() -> cluster.counter(0, "cluster.messages.forwarded") - before >= copies);
        assertThat(cluster.counter(0, "cluster.messages.forwarded") - before).isEqualTo(copies);
    }

    @ParameterizedTest(name = "QoS {0}")
    @ValueSource(ints = {0, 1, 2})
    @DisplayName("a message published on node 1 reaches a subscriber on node 2 at the QoS it holds, in order, "
            + "and crosses only to node 2")
    void crossesToTheNodeWithTheSubscriber(int qos) throws Exception {
        String topic = prefix + "q" + qos;
        long known = cluster.counter(0, "cluster.subscriptions.remote_added");
        Paho5 subscriber = client(1, "sub-" + prefix + qos).subscribe(topic, qos);
        awaitRemoteFilters(0, known + 1);
        long forwardedBefore = cluster.counter(0, "cluster.messages.forwarded");
        long receivedOn3 = cluster.counter(2, "cluster.messages.received");
        Paho5 publisher = client(0, "pub-" + prefix + qos);

        for (int i = 0; i < 20; i++) {
            publisher.publish(topic, "m" + i, qos);
        }

        List<Paho5.Received> got = subscriber.next(20);
        assertThat(got).extracting(Paho5.Received::payload).as("in publish order [MQTT-4.6.0-5]")
                .containsExactly(java.util.stream.IntStream.range(0, 20).mapToObj(i -> "m" + i)
                        .toArray(String[]::new));
        assertThat(got).allSatisfy(r -> assertThat(r.message().getQos()).isEqualTo(qos));
        assertForwardedFromNode1(forwardedBefore, 20);
        assertThat(cluster.counter(2, "cluster.messages.received")).as("node 3 has no subscriber")
                .isEqualTo(receivedOn3);
    }

    @Test
    @DisplayName("a node with several matching subscribers gets one copy, and each of them the message")
    void oneCopyPerNode() throws Exception {
        long known = cluster.counter(0, "cluster.subscriptions.remote_added");
        Paho5 a = client(1, "a-" + prefix).subscribe(prefix + "room/+", 1);
        Paho5 b = client(1, "b-" + prefix).subscribe(prefix + "#", 1);
        awaitRemoteFilters(0, known + 2);
        long forwardedBefore = cluster.counter(0, "cluster.messages.forwarded");

        client(0, "p-" + prefix).publish(prefix + "room/1", "21.5", 1);

        assertThat(a.next().payload()).isEqualTo("21.5");
        assertThat(b.next().payload()).isEqualTo("21.5");
        assertForwardedFromNode1(forwardedBefore, 1);
    }

    @Test
    @DisplayName("a retained message published on node 1 reaches a later subscriber on node 3")
    void retainedAcrossNodes() throws Exception {
        String topic = prefix + "state";
        long retainedOn3 = cluster.counter(2, "retained.messages");
        MqttMessage m = new MqttMessage("on".getBytes());
        m.setQos(1);
        m.setRetained(true);
        client(0, "p-" + prefix).publish(topic, m);
        await().atMost(PATIENCE).until(() -> cluster.counter(2, "retained.messages") == retainedOn3 + 1);

        Paho5.Received r = client(2, "s-" + prefix).subscribe(topic, 1).next();

        assertThat(r.payload()).isEqualTo("on");
        assertThat(r.message().isRetained()).isTrue();
    }

    @Test
    @DisplayName("a client connecting on node 2 with an id connected on node 1 takes over: node 1 sends "
            + "DISCONNECT 0x8E [MQTT-3.1.4-3]")
    void takeoverAcrossNodes() throws Exception {
        String id = "device-" + prefix;
        Paho5 first = client(0, id);

        client(1, id);

        assertThat(first.awaitDisconnected(PATIENCE).getReturnCode()).isEqualTo(0x8E);
    }

    @Test
    @DisplayName("a shared subscription with members on two nodes gets each message once cluster-wide")
    void sharedSubscriptionOnceAcrossNodes() throws Exception {
        String filter = "$share/workers/" + prefix + "jobs";
        long known = cluster.counter(0, "cluster.subscriptions.remote_added");
        Paho5 onNode1 = client(0, "w1-" + prefix).subscribe(filter, 1);
        Paho5 onNode2 = client(1, "w2-" + prefix).subscribe(filter, 1);
        Paho5 onNode3 = client(2, "w3-" + prefix).subscribe(filter, 1);
        awaitRemoteFilters(0, known + 2);
        Paho5 publisher = client(0, "p-" + prefix);

        for (int i = 0; i < 30; i++) {
            publisher.publish(prefix + "jobs", "job" + i, 1);
        }

        ConcurrentHashMap<String, Integer> seen = new ConcurrentHashMap<>();
        List<Paho5> members = List.of(onNode1, onNode2, onNode3);
        await().atMost(PATIENCE).until(() -> {
            for (Paho5 member : members) {
                member.poll(Duration.ZERO).ifPresent(r -> seen.merge(r.payload(), 1, Integer::sum));
            }
            return seen.size() == 30;
        });
        for (Paho5 member : members) {
            member.expectNothingFor(Duration.ofMillis(300));
        }
        assertThat(seen.values()).as("each job once").containsOnly(1);
    }

    @Test
    @DisplayName("a persistent session moves: offline on node 1, resumed on node 2 with session present, its "
            + "subscription and the messages queued meanwhile; the old node keeps nothing")
    void persistentSessionMoves() throws Exception {
        String id = "historian-" + prefix;
        String topic = prefix + "readings";
        MqttConnectionOptions persistent = Paho5.options();
        persistent.setCleanStart(false);
        persistent.setSessionExpiryInterval(3600L);
        long known = cluster.counter(2, "cluster.subscriptions.remote_added");
        Paho5 first = new Paho5(cluster.port(0), id);
        clients.add(first);
        first.connect(persistent);
        first.subscribe(topic, 1);
        awaitRemoteFilters(2, known + 1);
        first.disconnect();
        Paho5 publisher = client(2, "p-" + prefix);
        for (int i = 0; i < 5; i++) {
            publisher.publish(topic, "r" + i, 1);
        }
        await().atMost(PATIENCE).until(() -> cluster.counter(0, "messages.queued") >= 5);

        Paho5 resumed = new Paho5(cluster.port(1), id);
        clients.add(resumed);
        boolean present = resumed.connect(persistent).getSessionPresent();

        assertThat(present).as("session present").isTrue();
        assertThat(resumed.next(5)).extracting(Paho5.Received::payload).containsExactly("r0", "r1", "r2", "r3",
                "r4");
        assertThat(cluster.node(0).clients()).noneMatch(c -> c.clientId().equals(id));
        awaitRemoteFilters(2, known + 2); // node 3 now knows the filter on node 2
        publisher.publish(topic, "after", 1);
        assertThat(resumed.next().payload()).as("the subscription moved too").isEqualTo("after");
    }

    @Test
    @DisplayName("a will fires once, and reaches subscribers on every node")
    void willFiresOnce() throws Exception {
        String topic = prefix + "lost";
        long known = cluster.counter(0, "cluster.subscriptions.remote_added");
        Paho5 on2 = client(1, "s2-" + prefix).subscribe(topic, 1);
        Paho5 on3 = client(2, "s3-" + prefix).subscribe(topic, 1);
        awaitRemoteFilters(0, known + 2);
        Paho5 dying = new Paho5(cluster.port(0), "dying-" + prefix);
        clients.add(dying);
        MqttConnectionOptions options = Paho5.options();
        options.setWill(topic, new MqttMessage("gone".getBytes()));
        dying.connect(options);

        dying.dropConnection();

        assertThat(on2.next().payload()).isEqualTo("gone");
        assertThat(on3.next().payload()).isEqualTo("gone");
        on2.expectNothingFor(Duration.ofMillis(300));
        on3.expectNothingFor(Duration.ofMillis(300));
    }
}
