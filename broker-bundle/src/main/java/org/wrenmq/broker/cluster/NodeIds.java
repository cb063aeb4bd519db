package org.wrenmq.broker.cluster;

import com.hazelcast.cluster.Member;
import com.hazelcast.config.Config;
import com.hazelcast.core.HazelcastInstance;
import java.util.UUID;

/**
 * A node's id in the cluster: what its filters, mirrored sessions, client ids and topics are kept under. It is a
 * member attribute chosen at start, not Hazelcast's member UUID, because Hazelcast gives a member a new UUID when its
 * side merges back after a split brain, and the node's entries must still name it.
 */
final class NodeIds {
    static final String ATTRIBUTE = "wrenmq.node";

    private NodeIds() {
    }

    /** Gives the member to be started from {@code config} a new node id. */
    static void assign(Config config) {
        config.getMemberAttributeConfig().setAttribute(ATTRIBUTE, UUID.randomUUID().toString());
    }

    /** {@code member}'s node id (its member UUID if it is no WrenMQ node). */
    static UUID of(Member member) {
        String id = member.getAttribute(ATTRIBUTE);
        return id == null ? member.getUuid() : UUID.fromString(id);
    }

    static UUID self(HazelcastInstance hazelcast) {
        return of(hazelcast.getCluster().getLocalMember());
    }

    /** Whether the node {@code id} is a member of this node's cluster now. */
    static boolean isMember(HazelcastInstance hazelcast, UUID id) {
        for (Member m : hazelcast.getCluster().getMembers()) {
            if (of(m).equals(id)) {
                return true;
            }
        }
        return false;
    }
}
