package org.wrenmq.broker.cluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import java.util.stream.IntStream;
import org.eclipse.paho.mqttv5.common.MqttMessage;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInfo;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.wrenmq.broker.mqtt5.Paho5;

/**
 * A split brain: three nodes in this JVM, each with its store on disk, whose network the test cuts into two sides,
 * two nodes and one ({@link NetworkCuts}), then heals. The lone node is not the oldest member, so the other side's
 * oldest is the one that would adopt its sessions. What the clients on each side find, during the split and after.
 */
@Timeout(240)
@DisplayName("a split brain: the network between one node and the two others cut, then healed")
class SplitBrainTests {
    private static final Duration PATIENCE = Duration.ofSeconds(60);
    @TempDir
    Path stores;
    private ThreeNodes cluster;
    /** The node cut off alone, the oldest member (on the majority side), the third node. */
    private int lone;
    private int oldest;
    private int other;
    private final NodeClients clients = new NodeClients(() -> cluster);

    @BeforeEach
    void start(TestInfo test) {
        NetworkCuts.on();
        cluster = ThreeNodes.withStores("split-" + test.getTestMethod().orElseThrow().getName(), 3, stores);
        oldest = cluster.oldest();
        lone = (oldest + 1) % 3;
        other = (oldest + 2) % 3;
    }

    @AfterEach
    void stop() throws Exception {
        clients.close();
        if (cluster != null) {
            cluster.close();
        }
        NetworkCuts.off();
    }

    @Test
    @DisplayName("each side serves its clients and messages cross within it; after the heal they cross everywhere "
            + "again and the retained messages of both sides are kept")
    void bothSidesServeThenMessagesCrossEverywhereAgain() throws Exception {
        Paho5 onOldest = clients.paho(oldest, "sub-oldest").subscribe("sb/#", 1);
        Paho5 onLone = clients.paho(lone, "sub-lone").subscribe("sb/#", 1);
        Paho5 fromOther = clients.paho(other, "pub-other");
        Paho5 fromLone = clients.paho(lone, "pub-lone");
        awaitFilters(other, 2);

        split();
        fromOther.publish("sb/majority", "within the majority", 1);
        fromLone.publish("sb/minority", "within the minority", 1);
        assertThat(onOldest.next().payload()).isEqualTo("within the majority");
        assertThat(onLone.next().payload()).isEqualTo("within the minority");
        fromOther.publish("sb/retained/majority", retained("kept from the majority"));
        fromLone.publish("sb/retained/minority", retained("kept from the minority"));
        onOldest.next();
        onLone.next();

        heal();
        // the lone node's filters are back in the directory a moment after the merge
        crosses(fromOther, "sb/cross", onLone, "to the lone node");
        crosses(fromLone, "sb/cross", onOldest, "from the lone node");
        for (int node = 0; node < 3; node++) {
            Paho5 late = clients.paho(node, "late-" + node).subscribe("sb/retained/#", 1);
            assertThat(IntStream.range(0, 2).mapToObj(i -> late.next().payload()))
                    .as("retained on node %d", node + 1)
                    .containsExactlyInAnyOrder("kept from the majority", "kept from the minority");
        }
    }

    @Test
    @DisplayName("[MQTT-3.1.4-3] a client id connected on both sides during the split keeps one connection after "
            + "the heal, the other is closed with DISCONNECT 0x8E")
    void clientIdConnectedOnBothSidesEndsWithOneConnection() throws Exception {
        Paho5 first = clients.paho(lone, "twin");
        split();
        Paho5 second = clients.paho(other, "twin");
        assertThat(first.isConnected()).as("the lone node cannot learn of the second connection").isTrue();

        heal();
        await().atMost(PATIENCE).until(() -> !first.isConnected() || !second.isConnected());
        Paho5 closed = first.isConnected() ? second : first;
        Paho5 kept = first.isConnected() ? first : second;
        assertThat(closed.awaitDisconnected(PATIENCE).getReturnCode()).isEqualTo(0x8E);
        // the kept connection subscribes right after the heal: messages from the other nodes reach it
        kept.subscribe("twin/t", 1);
        Paho5 publisher = clients.paho(kept == first ? other : lone, "pub-twin");
        crosses(publisher, "twin/t", 0, kept, "at QoS 0 to the remaining one");
        crosses(publisher, "twin/t", 1, kept, "at QoS 1 to the remaining one");
        assertThat(kept.isConnected()).isTrue();
        assertThat(sessionsNamed("twin")).isEqualTo(1);
    }

    @Test
    @DisplayName("a node whose QoS 1/2 ring buffer another node destroyed, having taken it for gone, reads the new "
            + "one: messages published elsewhere at QoS 1 still reach its subscribers")
    void ringBufferDestroyedByAnotherNodeIsReadAgain() throws Exception {
        Paho5 onLone = clients.paho(lone, "sub-ring").subscribe("ring/t", 1);
        Paho5 publisher = clients.paho(other, "pub-ring");
        crosses(publisher, "ring/t", onLone, "before");
        // what the node that adopted the lone node's sessions does once done with its ring buffer
        cluster.hazelcast(oldest).getReliableTopic(NodeInbox.reliableTopicName(cluster.memberId(lone))).destroy();
        await().atMost(PATIENCE).until(() -> cluster.counter(lone, "cluster.inbox.reader_restarts") == 1);
        crosses(publisher, "ring/t", onLone, "after");
    }

    @Test
    @DisplayName("the lone node adopts no session of the majority; the majority adopts the lone node's persistent "
            + "session, which after the heal lives on one node only, with the messages queued for it")
    void onlyTheMajorityAdoptsAndTheSessionEndsOnOneNode() throws Exception {
        clients.persistentOffline(lone, "on-lone", "sb/p");
        clients.persistentOffline(other, "on-other", "sb/p");
        Paho5 publisher = clients.paho(other, "pub-p");

        split();
        await().atMost(PATIENCE).until(() -> cluster.counter(oldest, "cluster.sessions.adopted") == 1);
        // the majority's other node routes to the adopted session (its filter, now the oldest's, came back)
        await().atMost(PATIENCE).until(() -> cluster.counter(other, "cluster.subscriptions.remote_filters") >= 1
                && cluster.counter(other, "cluster.subscriptions.remote_added") >= 2);
        await().atMost(PATIENCE).until(() -> cluster.counter(lone, "cluster.split_brain.minority") == 1);
        assertThat(cluster.counter(lone, "cluster.split_brain.takeovers_refused")).isEqualTo(2);
        assertThat(cluster.counter(lone, "cluster.sessions.adopted")).as("adopted on the minority side").isZero();
        publisher.publish("sb/p", "queued during the split", 1);

        heal();
        await().atMost(PATIENCE).until(() -> cluster.node(lone).clients().stream()
                .noneMatch(c -> c.clientId().equals("on-lone")));
        assertThat(sessionsNamed("on-lone")).as("nodes holding the session").isEqualTo(1);
        assertThat(sessionsNamed("on-other")).isEqualTo(1);

        Paho5 resumed = clients.add(new Paho5(cluster.port(other), "on-lone"));
        assertThat(resumed.connect(NodeClients.persistent()).getSessionPresent()).isTrue();
        assertThat(resumed.next().payload()).isEqualTo("queued during the split");
        publisher.publish("sb/p", "after the heal", 1);
        assertThat(resumed.next().payload()).isEqualTo("after the heal");
        resumed.expectNothingFor(Duration.ofMillis(500));
    }

    @Test
    @DisplayName("a persistent session held on both sides gets, after the heal, the messages queued for it on each "
            + "side during the split once each, and the one queued before the split once, whichever node the client "
            + "resumes on")
    void messagesQueuedOnBothSidesDuringTheSplitArriveOnceEach() throws Exception {
        Sides from = queuedThenSplit("sb/q");
        from.other().publish("sb/q", "queued on the majority side", 1);
        from.lone().publish("sb/q", "queued on the lone side", 1);

        heal();
        // the client resumes once the ending copy's messages reached the kept one: resumed elsewhere first, the
        // hand-over follows the session to a node that did not adopt it, where a message both copies had may come
        // twice (docs/cluster.md)
        await().atMost(PATIENCE).until(() -> sessionsNamed("on-lone") == 1
                && total("cluster.split_brain.messages_handed_over") == 1);
        Paho5 resumed = clients.add(new Paho5(cluster.port(other), "on-lone"));
        assertThat(resumed.connect(NodeClients.persistent()).getSessionPresent()).isTrue();
        assertThat(resumed.next(3)).extracting(Paho5.Received::payload).containsExactlyInAnyOrder(
                "queued before the split", "queued on the majority side", "queued on the lone side");
        from.other().publish("sb/q", "after the heal", 1);
        assertThat(resumed.next().payload()).isEqualTo("after the heal");
        resumed.expectNothingFor(Duration.ofMillis(500));
        assertThat(total("cluster.split_brain.messages_handed_over")).isEqualTo(1);
        assertThat(total("cluster.split_brain.handover_copies_dropped")).isEqualTo(1);
    }

    @Test
    @DisplayName("a message the client finished on the lone side during the split does not come again after the heal; "
            + "the one queued for it on the majority side meanwhile comes once")
    void messageFinishedOnTheLoneSideDuringTheSplitDoesNotComeAgain() throws Exception {
        Sides from = queuedThenSplit("sb/r");
        Paho5 during = new Paho5(cluster.port(lone), "on-lone");
        assertThat(during.connect(NodeClients.persistent()).getSessionPresent()).isTrue();
        assertThat(during.next().payload()).isEqualTo("queued before the split");
        during.disconnect(); // Paho acknowledged the message before: finished on the lone side
        during.close();
        from.other().publish("sb/r", "queued on the majority side", 1);

        heal();
        await().atMost(PATIENCE).until(() -> sessionsNamed("on-lone") == 1);
        int kept = IntStream.range(0, 3).filter(n -> cluster.nodes.get(n).clients().stream()
                .anyMatch(c -> c.clientId().equals("on-lone"))).findFirst().orElseThrow();
        Paho5 resumed = clients.add(new Paho5(cluster.port(kept), "on-lone"));
        assertThat(resumed.connect(NodeClients.persistent()).getSessionPresent()).isTrue();
        assertThat(resumed.next().payload()).isEqualTo("queued on the majority side");
        clients.paho(kept, "pub-kept").publish("sb/r", "after the heal", 1);
        assertThat(resumed.next().payload()).isEqualTo("after the heal");
        resumed.expectNothingFor(Duration.ofMillis(500));
    }

    // ---- the split ----

    /** A publisher on the lone node and one on the majority side. */
    private record Sides(Paho5 lone, Paho5 other) {
    }

    /**
     * An offline persistent session "on-lone" of the lone node on {@code topic} with a message queued for it, then
     * the split, the majority adopting the session.
     */
    private Sides queuedThenSplit(String topic) throws Exception {
        clients.persistentOffline(lone, "on-lone", topic);
        Sides from = new Sides(clients.paho(lone, "pub-lone"), clients.paho(other, "pub-other"));
        from.lone().publish(topic, "queued before the split", 1);
        splitAndAdopt();
        return from;
    }

    /** Cuts the lone node off and waits until the majority adopted its sessions and routes to them. */
    private void splitAndAdopt() {
        split();
        await().atMost(PATIENCE).until(() -> cluster.counter(oldest, "cluster.sessions.adopted") == 1);
        // the lone node's filter, then the oldest's for the adopted session
        await().atMost(PATIENCE).until(() -> cluster.counter(other, "cluster.subscriptions.remote_filters") >= 1
                && cluster.counter(other, "cluster.subscriptions.remote_added") >= 2);
        await().atMost(PATIENCE).until(() -> cluster.counter(lone, "cluster.split_brain.minority") == 1);
    }

    private long total(String counter) {
        return IntStream.range(0, 3).mapToLong(n -> cluster.counter(n, counter)).sum();
    }

    private void split() {
        for (int node = 0; node < 3; node++) {
            if (node != lone) {
                NetworkCuts.cut(cluster.hazelcast(lone), cluster.hazelcast(node));
            }
        }
        await().atMost(PATIENCE).until(() -> members(lone) == 1 && members(oldest) == 2 && members(other) == 2);
    }

    private void heal() {
        long merged = cluster.counter(lone, "cluster.split_brain.merged");
        for (int node = 0; node < 3; node++) {
            if (node != lone) {
                NetworkCuts.heal(cluster.hazelcast(lone), cluster.hazelcast(node));
            }
        }
        await().atMost(PATIENCE).until(() -> cluster.counter(lone, "cluster.split_brain.merged") > merged
                && members(lone) == 3 && members(oldest) == 3 && members(other) == 3);
    }

    private long members(int node) {
        return cluster.counter(node, "cluster.members");
    }

    // ---- clients ----

    private void awaitFilters(int node, long filters) {
        await().atMost(PATIENCE).until(() -> cluster.counter(node, "cluster.subscriptions.remote_filters") >= filters);
    }

    /** Publishes on {@code from} until {@code to} gets one (the filters reach the directory a moment later). */
    private static void crosses(Paho5 from, String topic, Paho5 to, String what) {
        crosses(from, topic, 1, to, what);
    }

    /** As {@link #crosses(Paho5, String, Paho5, String)}, published at {@code qos}. */
    private static void crosses(Paho5 from, String topic, int qos, Paho5 to, String what) {
        await().atMost(PATIENCE).until(() -> {
            from.publish(topic, what, qos);
            Optional<Paho5.Received> got = to.poll(Duration.ofMillis(300));
            return got.isPresent() && got.get().payload().equals(what);
        });
    }

    private long sessionsNamed(String id) {
        return cluster.nodes.stream().filter(b -> b.clients().stream().anyMatch(c -> c.clientId().equals(id)))
                .count();
    }

    private static MqttMessage retained(String payload) {
        MqttMessage m = new MqttMessage(payload.getBytes(StandardCharsets.UTF_8));
        m.setQos(1);
        m.setRetained(true);
        return m;
    }
}
