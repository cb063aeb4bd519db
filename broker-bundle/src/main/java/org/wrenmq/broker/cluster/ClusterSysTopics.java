package org.wrenmq.broker.cluster;

import com.hazelcast.cluster.Member;
import com.hazelcast.core.HazelcastInstance;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The {@code $SYS/broker/cluster/...} values of one node: who it is ({@code cluster/name}, {@code cluster/node}),
 * how many nodes it sees ({@code cluster/nodes}) and its cluster counters, each under its counter name with dots
 * as topic levels ({@code cluster.messages.forwarded} is {@code cluster/messages/forwarded}). Read from local
 * state only: the $SYS task runs on an event loop and must not wait for other nodes.
 */
final class ClusterSysTopics {
    /** The counter of members, shown as {@code cluster/nodes}: what an operator asks is "how many nodes". */
    static final String MEMBERS = "cluster.members";

    private ClusterSysTopics() {
    }

    static Map<String, String> of(HazelcastInstance hazelcast, Map<String, Long> counters) {
        Map<String, String> topics = new LinkedHashMap<>();
        topics.put("cluster/name", hazelcast.getConfig().getClusterName());
        if (hazelcast.getLifecycleService().isRunning()) {
            Member self = hazelcast.getCluster().getLocalMember();
            topics.put("cluster/node", NodeIds.of(self) + " " + self.getAddress().getHost() + ":"
                    + self.getAddress().getPort());
        }
        counters.forEach((name, value) -> topics.put(
                name.equals(MEMBERS) ? "cluster/nodes" : name.replace('.', '/'), String.valueOf(value)));
        return topics;
    }
}
