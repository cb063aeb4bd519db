package org.wrenmq.broker.cluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.wrenmq.broker.mqtt5.Paho5;

@DisplayName("the members a side of a split brain needs to take over the nodes it lost")
class SplitBrainGuardTests {
    @TempDir
    Path stores;

    @Test
    @DisplayName("a strict majority of the nodes of cluster_members, itself counted; one in a cluster of two")
    void quorum() {
        assertThat(SplitBrainGuard.quorum(1)).isEqualTo(1);
        assertThat(SplitBrainGuard.quorum(2)).as("the survivor of two adopts").isEqualTo(1);
        assertThat(SplitBrainGuard.quorum(3)).isEqualTo(2);
        assertThat(SplitBrainGuard.quorum(4)).as("2 of 4 is no majority").isEqualTo(3);
        assertThat(SplitBrainGuard.quorum(5)).isEqualTo(3);
    }

    @Test
    @Timeout(120)
    @DisplayName("in a cluster of two, the survivor of a kill -9 adopts the dead node's persistent session")
    void survivorOfTwoAdopts() throws Exception {
        try (ThreeNodes cluster = new ThreeNodes("two-nodes", 2, (node, builder) -> builder
                .set("persistence", "true").set("persistence_location", stores.resolve("node" + node).toString()));
             NodeClients clients = new NodeClients(() -> null)) {
            int survivor = cluster.oldest();
            int dying = 1 - survivor;
            Paho5 first = new Paho5(cluster.port(dying), "of-two");
            first.connect(NodeClients.persistent());
            first.subscribe("two/t", 1);
            first.disconnect();
            first.close();
            await().atMost(Duration.ofSeconds(30)).until(() -> !cluster.session(dying, "of-two").connected());

            cluster.kill(dying);
            await().atMost(Duration.ofSeconds(30)).until(() -> cluster.counter(survivor, "cluster.sessions.adopted") == 1);
            assertThat(cluster.counter(survivor, "cluster.split_brain.minority")).isZero();
            Paho5 resumed = clients.add(new Paho5(cluster.port(survivor), "of-two"));
            assertThat(resumed.connect(NodeClients.persistent()).getSessionPresent()).isTrue();
        }
    }
}
