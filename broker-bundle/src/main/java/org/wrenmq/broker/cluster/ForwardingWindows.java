package org.wrenmq.broker.cluster;

import com.hazelcast.cluster.Member;
import com.hazelcast.core.HazelcastInstance;
import com.hazelcast.topic.Message;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import org.wrenmq.broker.logging.LogThrottle;

/**
 * This node's {@link ForwardingWindow} towards each other node, fed by the reports the other nodes send to this
 * node's progress topic ({@link ForwardingProgress}).
 */
final class ForwardingWindows {
    private final int limit;
    private final ClusterCounters counters;
    private final Map<UUID, ForwardingWindow> windows = new ConcurrentHashMap<>();
    private final LogThrottle fullLog = LogThrottle.perMinute();

    ForwardingWindows(int limit, ClusterCounters counters) {
        this.limit = limit;
        this.counters = counters;
    }

    /** Listens to the reports other nodes send this one. */
    void listen(HazelcastInstance hazelcast, UUID self) {
        MergeListeners.of(hazelcast).topic(hazelcast.<long[]>getTopic(ForwardingProgress.topicName(self)), this::report);
    }

    ForwardingWindow of(UUID node) {
        return windows.computeIfAbsent(node, id -> new ForwardingWindow(id, limit, counters, fullLog));
    }

    /** The node left: its window opens for good; a window made again for the same id starts anew. */
    void nodeLeft(UUID node) {
        ForwardingWindow w = windows.remove(node);
        if (w != null) {
            w.nodeLeft();
        }
    }

    private void report(Message<long[]> message) {
        Member from = message.getPublishingMember();
        long[] routed = message.getMessageObject();
        ForwardingWindow w = from == null ? null : windows.get(NodeIds.of(from));
        if (w != null && routed.length >= 2) {
            w.routed(routed[0], routed[1]);
        }
    }
}
