package org.wrenmq.broker.cluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.wrenmq.broker.mqtt5.Paho5;

/**
 * A split brain that leaves no side a majority: four nodes cut two and two ({@link NetworkCuts}), then healed.
 * {@link SplitBrainTests} covers the 2|1 split of three nodes.
 */
@Timeout(240)
@DisplayName("a split brain of four nodes into two and two")
class EvenSplitTests {
    private static final Duration PATIENCE = Duration.ofSeconds(60);
    private static final List<Integer> SIDE_A = List.of(0, 1);
    private static final List<Integer> SIDE_B = List.of(2, 3);
    @TempDir
    Path stores;
    private ThreeNodes cluster;

    @Test
    @DisplayName("neither side holds a majority of cluster_members, so neither adopts the other's persistent sessions; "
            + "after the heal the session resumes anywhere with what was queued before the split, and messages cross "
            + "between all four nodes again")
    void neitherSideTakesOverAndTheClusterIsWholeAfterTheHeal() throws Exception {
        NetworkCuts.on();
        try (ThreeNodes nodes = ThreeNodes.withStores("split-even", 4, stores);
             NodeClients clients = new NodeClients(() -> nodes)) {
            cluster = nodes;
            splitAndHeal(clients);
        } finally {
            NetworkCuts.off();
        }
    }

    private void splitAndHeal(NodeClients clients) throws Exception {
        clients.persistentOffline(3, "far-away", "even/#");
        await().atMost(PATIENCE).until(() -> cluster.counter(0, "cluster.subscriptions.remote_filters") == 1);
        Paho5 publisher = clients.paho(0, "publisher");
        publisher.publish("even/before", "before the split", 1);
        await().atMost(PATIENCE).until(() -> cluster.counter(3, "cluster.messages.received") >= 1);

        for (int a : SIDE_A) {
            for (int b : SIDE_B) {
                NetworkCuts.cut(cluster.hazelcast(a), cluster.hazelcast(b));
            }
        }
        await().atMost(PATIENCE).until(() -> allNodes(n -> cluster.counter(n, "cluster.members") == 2
                && cluster.counter(n, "cluster.split_brain.minority") == 1));
        assertThat(total("cluster.sessions.adopted")).as("sessions adopted on either side").isZero();
        assertThat(cluster.session(3, "far-away").connected()).isFalse();

        long[] mergedBefore = new long[4]; // a half may have split again and merged within itself
        for (int n = 0; n < 4; n++) {
            mergedBefore[n] = cluster.counter(n, "cluster.split_brain.merged");
        }
        for (int a : SIDE_A) {
            for (int b : SIDE_B) {
                NetworkCuts.heal(cluster.hazelcast(a), cluster.hazelcast(b));
            }
        }
        // the heal is over once each node of one half has merged into the other and the merged client map names
        // the session's node again
        String holder = cluster.memberId(3).toString();
        await().atMost(PATIENCE).until(() -> allNodes(n -> cluster.counter(n, "cluster.members") == 4)
                && (merged(SIDE_A, mergedBefore) || merged(SIDE_B, mergedBefore))
                && holder.equals(cluster.hazelcast(1).<String, String>getMap(ClientOwners.MAP).get("far-away")));
        assertThat(total("cluster.sessions.adopted")).isZero();

        Paho5 resumed = clients.add(new Paho5(cluster.port(1), "far-away"));
        assertThat(resumed.connect(NodeClients.persistent()).getSessionPresent()).isTrue();
        assertThat(resumed.next().payload()).isEqualTo("before the split");
        for (int node : List.of(0, 2, 3)) {
            Paho5 from = clients.paho(node, "after-" + node);
            String what = "after the heal from node " + (node + 1);
            await().atMost(PATIENCE).until(() -> {
                from.publish("even/after", what, 1);
                Optional<Paho5.Received> got = resumed.poll(Duration.ofMillis(300));
                return got.isPresent() && got.get().payload().equals(what);
            });
        }
    }

    /** Whether every node of {@code side} merged (into the other side) since the counts {@code before}. */
    private boolean merged(List<Integer> side, long[] before) {
        return side.stream().allMatch(n -> cluster.counter(n, "cluster.split_brain.merged") > before[n]);
    }

    private boolean allNodes(java.util.function.IntPredicate each) {
        for (int n = 0; n < 4; n++) {
            if (!each.test(n)) {
                return false;
            }
        }
        return true;
    }

    private long total(String counter) {
        long sum = 0;
        for (int n = 0; n < 4; n++) {
            sum += cluster.counter(n, counter);
        }
        return sum;
    }
}
