package org.wrenmq.broker.cluster;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.atomic.LongAdder;

/** What the cluster did on this node, under {@code cluster.*} in the broker's counters. */
final class ClusterCounters {
    /** Copies of messages sent to other nodes (one per node that had a matching subscriber). */
    final LongAdder messagesForwarded = new LongAdder();
    /** Messages other nodes forwarded here. */
    final LongAdder messagesReceived = new LongAdder();
    /** Forwarded messages that could not be read (a node of another version): dropped, logged. */
    final LongAdder messagesUnreadable = new LongAdder();
    /** Other nodes' filters known here. */
    final LongAdder remoteFilters = new LongAdder();
    /** Other nodes' filters taken in since start (a new subscription elsewhere is known here once this moves). */
    final LongAdder remoteFiltersAdded = new LongAdder();
    /** Clients whose session was taken over by a connection on another node. */
    final LongAdder takenOverByOtherNode = new LongAdder();

    Map<String, Long> snapshot(int members) {
        Map<String, Long> m = new LinkedHashMap<>();
        m.put("cluster.members", (long) members);
        m.put("cluster.messages.forwarded", messagesForwarded.sum());
        m.put("cluster.messages.received", messagesReceived.sum());
        m.put("cluster.messages.unreadable", messagesUnreadable.sum());
        m.put("cluster.subscriptions.remote_filters", remoteFilters.sum());
        m.put("cluster.subscriptions.remote_added", remoteFiltersAdded.sum());
        m.put("cluster.sessions.taken_over_remotely", takenOverByOtherNode.sum());
        return m;
    }
}
