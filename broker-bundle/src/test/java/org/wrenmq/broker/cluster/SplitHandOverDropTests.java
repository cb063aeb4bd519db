package org.wrenmq.broker.cluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.hazelcast.map.IMap;
import com.hazelcast.topic.ITopic;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.wrenmq.api.QoS;
import org.wrenmq.broker.message.Origin;
import org.wrenmq.broker.message.Publication;
import org.wrenmq.broker.mqtt5.Paho5;
import org.wrenmq.broker.routing.Delivery;
import org.wrenmq.broker.store.StoredEntry;
import org.wrenmq.broker.store.StoredSession;

/**
 * What a node does with a split hand-over ({@link SplitHandOver}) it cannot take in: two nodes, the second sending
 * the first hand-overs as an ending session copy does after a split brain (the split itself is
 * {@link SplitBrainTests}' matter; here the hand-overs are made directly, to reach the cases a heal reaches only
 * by chance of timing).
 */
@Timeout(120)
@DisplayName("a split hand-over the kept node cannot take in")
class SplitHandOverDropTests {
    private static final Duration PATIENCE = Duration.ofSeconds(30);

    @Test
    @DisplayName("one that cannot be read, or is for a client whose session here is not persistent, is counted in "
            + "$SYS as dropped; one for a persistent session is taken in and not counted")
    void droppedHandOversAreCountedInSys(@TempDir Path stores) throws Exception {
        try (ThreeNodes cluster = ThreeNodes.withStores("split-handover-drops", 2, stores,
                (node, builder) -> builder.set("sys_interval", "1"));
             NodeClients clients = new NodeClients(() -> cluster)) {
            droppedHandOversAreCounted(cluster, clients);
        }
    }

    private static void droppedHandOversAreCounted(ThreeNodes cluster, NodeClients clients) throws Exception {
        clients.persistentOffline(0, "kept-here", "drops/#");
        clients.paho(0, "clean-here"); // connected, its session ends with its connection: nothing to keep
        Paho5 sys = clients.paho(0, "sys-watcher").subscribe("$SYS/broker/cluster/split_brain/#", 0);

        UUID sender = cluster.memberId(1);
        ITopic<byte[]> toNode0 = cluster.hazelcast(1).getTopic(SplitHandOver.topic(cluster.memberId(0)));
        toNode0.publish(SplitHandOverBytes.messages(sender, 1, oneMessage(sender, "clean-here", "for a clean one")));
        toNode0.publish(new byte[] {SplitHandOverBytes.MESSAGES, 1, 2, 3}); // too short to say who sent it
        toNode0.publish(SplitHandOverBytes.messages(sender, 2, oneMessage(sender, "kept-here", "handed over")));

        awaitSys(sys, "handover_dropped", "2");
        await().atMost(PATIENCE).until(() -> cluster.counter(0, "cluster.split_brain.messages_handed_over") == 1);
        Paho5 resumed = clients.add(new Paho5(cluster.port(0), "kept-here"));
        assertThat(resumed.connect(NodeClients.persistent()).getSessionPresent()).isTrue();
        assertThat(resumed.next().payload()).isEqualTo("handed over");
        assertThat(cluster.counter(1, "cluster.split_brain.handover_dropped")).as("nothing dropped on the sender")
                .isZero();
    }

    @Test
    @DisplayName("one for a client whose session moved on to another node before it came follows the session there: "
            + "the client resuming there gets the message, nothing is dropped")
    void handOverFollowsTheSessionToTheNodeItMovedTo(@TempDir Path stores) throws Exception {
        try (ThreeNodes cluster = ThreeNodes.withStores("split-handover-follows", 3, stores);
             NodeClients clients = new NodeClients(() -> cluster)) {
            clients.persistentOffline(1, "moved-on", "drops/#");
            String holder = cluster.memberId(1).toString();
            await().atMost(PATIENCE).until(() -> holder.equals(
                    cluster.hazelcast(0).<String, String>getMap(ClientOwners.MAP).get("moved-on")));

            // node 2's copy ended and goes to node 0, which the merge kept but the session has left since
            handOver(cluster, 2, 0, oneMessage(cluster.memberId(2), "moved-on", "followed"));
            await().atMost(PATIENCE).until(() -> cluster.counter(1, "cluster.split_brain.messages_handed_over") == 1);
            assertThat(cluster.counter(0, "cluster.split_brain.handovers_forwarded")).isEqualTo(1);
            assertThat(cluster.counter(0, "cluster.split_brain.handover_dropped")).isZero();

            Paho5 resumed = clients.add(new Paho5(cluster.port(1), "moved-on"));
            assertThat(resumed.connect(NodeClients.persistent()).getSessionPresent()).isTrue();
            assertThat(resumed.next().payload()).isEqualTo("followed");
        }
    }

    @Test
    @DisplayName("one reaching the node a session is just leaving, before the node it moves to has it, follows it "
            + "there and is taken in once the session came: the client resuming there gets the message")
    void handOverFollowsASessionStillOnItsWay(@TempDir Path stores) throws Exception {
        try (ThreeNodes cluster = ThreeNodes.withStores("split-handover-in-transit", 3, stores);
             NodeClients clients = new NodeClients(() -> cluster)) {
            clients.persistentOffline(0, "in-transit", "drops/#");
            Object answers = HeldEvents.sessionRequests(cluster.memberId(1));
            HeldEvents.hold(answers); // node 1 gets the session only when the test says
            Paho5 resuming = clients.add(new Paho5(cluster.port(1), "in-transit"));
            CompletableFuture<Boolean> present;
            try {
                present = CompletableFuture.supplyAsync(() -> connect(resuming));
                await().atMost(PATIENCE).until(() -> HeldEvents.held(answers) >= 1
                        && cluster.node(0).clients().stream().noneMatch(c -> c.clientId().equals("in-transit")));

                // node 2's copy ended and goes to node 0, which has handed the session over and is not its owner yet
                handOver(cluster, 2, 0, oneMessage(cluster.memberId(2), "in-transit", "on its way"));
                await().atMost(PATIENCE).until(() -> cluster.counter(0, "cluster.split_brain.handovers_forwarded") == 1);
            } finally {
                HeldEvents.release(answers);
            }
            assertThat(present.get(30, TimeUnit.SECONDS)).as("session present").isTrue();
            assertThat(resuming.next().payload()).isEqualTo("on its way");
            assertThat(cluster.counter(1, "cluster.split_brain.messages_handed_over")).isEqualTo(1);
            assertThat(cluster.counter(0, "cluster.split_brain.handover_dropped")
                    + cluster.counter(1, "cluster.split_brain.handover_dropped")).isZero();
        }
    }

    private static boolean connect(Paho5 client) {
        try {
            return client.connect(NodeClients.persistent()).getSessionPresent();
        } catch (Exception e) {
            throw new CompletionException(e);
        }
    }

    @Test
    @DisplayName("one from the node a session was adopted from, after the session moved on to a third node where its "
            + "client finished what came with the adoption: that node leaves those messages out and takes in the rest")
    void adoptedSessionMovedOnLeavesOutWhatCameWithTheAdoption(@TempDir Path stores) throws Exception {
        try (ThreeNodes cluster = ThreeNodes.withStores("split-handover-adopted", 3, stores);
             NodeClients clients = new NodeClients(() -> cluster)) {
            int adopter = cluster.oldest();
            int lone = (adopter + 1) % 3;
            int movedTo = (adopter + 2) % 3;
            UUID loneId = cluster.memberId(lone);
            clients.persistentOffline(lone, "adopted-moved", "drops/#");
            await().atMost(PATIENCE).until(() -> cluster.counter(movedTo, "cluster.subscriptions.remote_filters") == 1);
            clients.paho(movedTo, "publisher").publish("drops/one", "both had", 1);
            Origin bothHad = mirroredOrigin(cluster, adopter, loneId + "adopted-moved\0");

            cluster.kill(lone); // taken for gone: the adopter adopts its session, then the client resumes elsewhere
            await().atMost(PATIENCE).dontCatchUncaughtExceptions()
                    .until(() -> cluster.counter(adopter, "cluster.sessions.adopted") == 1);
            Paho5 resumed = clients.add(new Paho5(cluster.port(movedTo), "adopted-moved"));
            assertThat(resumed.connect(NodeClients.persistent()).getSessionPresent()).isTrue();
            assertThat(resumed.next().payload()).isEqualTo("both had");
            await().atMost(PATIENCE).until(() -> cluster.session(movedTo, "adopted-moved").inflight() == 0);
            resumed.disconnect(); // the client finished it: its PUBACK reached the node
            await().atMost(PATIENCE).until(() -> !cluster.session(movedTo, "adopted-moved").connected());

            // the lone node's copy ended after a heal and goes to the adopter, which the session has left since
            StoredSession handedOver = messages("adopted-moved", new Message(bothHad, "both had"),
                    new Message(new Origin(loneId, 7), "lone only"));
            cluster.hazelcast(adopter).<byte[]>getTopic(SplitHandOver.topic(cluster.memberId(adopter)))
                    .publish(SplitHandOverBytes.messages(loneId, 1, handedOver)); // the lone node is dead: sent here
            await().atMost(PATIENCE).until(() ->
                    cluster.counter(movedTo, "cluster.split_brain.handover_copies_dropped") == 1);
            assertThat(cluster.counter(movedTo, "cluster.split_brain.messages_handed_over")).isEqualTo(1);
            assertThat(cluster.counter(adopter, "cluster.split_brain.handovers_forwarded")).isEqualTo(1);

            Paho5 again = clients.add(new Paho5(cluster.port(movedTo), "adopted-moved"));
            assertThat(again.connect(NodeClients.persistent()).getSessionPresent()).isTrue();
            assertThat(again.next().payload()).as("the message the client finished does not come again")
                    .isEqualTo("lone only");
        }
    }

    /** Node {@code from}'s session copy ended and hands {@code messages} over to node {@code to}, as its first. */
    private static void handOver(ThreeNodes cluster, int from, int to, StoredSession messages) {
        cluster.hazelcast(from).<byte[]>getTopic(SplitHandOver.topic(cluster.memberId(to)))
                .publish(SplitHandOverBytes.messages(cluster.memberId(from), 1, messages));
    }

    /** The identity of the one message the cluster's mirror holds under {@code keyPrefix}, once it holds it. */
    private static Origin mirroredOrigin(ThreeNodes cluster, int node, String keyPrefix) {
        IMap<String, byte[]> mirror = cluster.hazelcast(node).getMap(SessionMirror.MESSAGES);
        SessionMirror.KeyPrefix prefix = new SessionMirror.KeyPrefix(keyPrefix);
        await().atMost(PATIENCE).until(() -> mirror.values(prefix).size() == 1);
        return MirrorValue.read(mirror.values(prefix).iterator().next()).origin();
    }

    private record Message(Origin origin, String payload) {
    }

    /** A hand-over's messages: one QoS 1 message for {@code clientId}, with an identity of the sending node's. */
    private static StoredSession oneMessage(UUID sender, String clientId, String payload) {
        return messages(clientId, new Message(new Origin(sender, 1), payload));
    }

    /** A hand-over's messages for {@code clientId}: QoS 1, in this order. */
    private static StoredSession messages(String clientId, Message... messages) {
        List<StoredEntry> entries = new ArrayList<>();
        Map<Long, Publication> publications = new HashMap<>();
        for (Message m : messages) {
            long seq = entries.size() + 1;
            entries.add(new StoredEntry(seq, seq, QoS.AT_LEAST_ONCE, false, Delivery.NO_IDS, false, m.origin()));
            publications.put(seq, Publication.simple("drops/one", m.payload().getBytes(StandardCharsets.UTF_8),
                    QoS.AT_LEAST_ONCE, false, "a-publisher"));
        }
        return new StoredSession(clientId, 0, 0, List.of(), null, 0, entries, List.of(), publications);
    }

    /** Waits until node 1 shows {@code value} under {@code $SYS/broker/cluster/split_brain/<counter>}. */
    private static void awaitSys(Paho5 sys, String counter, String value) {
        String topic = "$SYS/broker/cluster/split_brain/" + counter;
        await().atMost(PATIENCE).until(() -> {
            Optional<Paho5.Received> got = sys.poll(Duration.ofMillis(300));
            return got.isPresent() && got.get().topic().equals(topic) && got.get().payload().equals(value);
        });
    }
}
