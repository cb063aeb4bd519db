package org.wrenmq.broker.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

@DisplayName("the members a side of a split brain needs to take over the nodes it lost")
class SplitBrainGuardTests {
    @Test
    @DisplayName("a strict majority of the nodes of cluster_members, itself counted; one in a cluster of two")
    void quorum() {
        assertThat(SplitBrainGuard.quorum(1)).isEqualTo(1);
        assertThat(SplitBrainGuard.quorum(2)).as("the survivor of two adopts").isEqualTo(1);
        assertThat(SplitBrainGuard.quorum(3)).isEqualTo(2);
        assertThat(SplitBrainGuard.quorum(4)).as("2 of 4 is no majority").isEqualTo(3);
        assertThat(SplitBrainGuard.quorum(5)).isEqualTo(3);
    }
}
