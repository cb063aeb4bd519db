package org.wrenmq.broker.cluster;

import com.hazelcast.cluster.Member;
import com.hazelcast.core.HazelcastInstance;
import com.hazelcast.topic.ITopic;
import io.netty.util.concurrent.EventExecutor;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;

/**
 * Tells each node that forwards messages here how far this node has routed them, so that its
 * {@link ForwardingWindow} towards this node opens again: the last QoS 0 and QoS 1/2 numbers routed from it, on that
 * node's progress topic, each time another quarter of this node's {@code cluster_max_inflight_messages} was routed
 * from it. Routing hands each delivery to its subscriber's event loop as a task; a report leaves only once every
 * event loop has run the tasks queued before it, so the window also bounds what waits there (without that a node
 * routed into its loops' unbounded task queues as fast as it was sent, and ran out of memory in bench/cluster.sh).
 * The numbers only grow, so reports may cross or be lost: the next one says all. In case the sending node has a
 * smaller window than this one (nodes configured differently), what is left unreported also goes out every
 * {@value #FLUSH_MILLIS} ms.
 */
final class ForwardingProgress implements AutoCloseable {
    private static final long FLUSH_MILLIS = 100;
    /** Each node's, by its id, for the test hook {@link #hold}. */
    private static final Map<UUID, ForwardingProgress> NODES = new ConcurrentHashMap<>();

    private final HazelcastInstance hazelcast;
    private final UUID self;
    private final int reportEvery;
    /** This node's event loops, which the deliveries routed here run on. */
    private final List<EventExecutor> loops;
    private final Map<UUID, FromNode> senders = new ConcurrentHashMap<>();
    private final ScheduledExecutorService flusher = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "wrenmq-cluster-forwarding-progress");
        t.setDaemon(true);
        return t;
    });
    /** Test hook: reports held back, as a node that routes nothing sends none. */
    private volatile boolean held;

    ForwardingProgress(HazelcastInstance hazelcast, int maxInflightMessages, List<EventExecutor> loops) {
        this.hazelcast = hazelcast;
        this.loops = List.copyOf(loops);
        this.self = NodeIds.self(hazelcast);
        this.reportEvery = Math.max(1, maxInflightMessages / 4);
        NODES.put(self, this);
        flusher.scheduleWithFixedDelay(() -> flush(false), FLUSH_MILLIS, FLUSH_MILLIS, TimeUnit.MILLISECONDS);
    }

    /** The topic a node reads the reports of the nodes it forwards to on. */
    static String topicName(UUID sender) {
        return HazelcastSetup.MAP_PREFIX + "progress." + sender;
    }

    /**
     * A message {@code sender} forwarded here was routed.
     *
     * @param number   its number on its path, 0 when not numbered (a node of the previous version)
     * @param reliable whether it came through the ring buffer (QoS 1/2) rather than the QoS 0 topic
     */
    void routed(Member sender, long number, boolean reliable) {
        if (sender == null || number <= 0) {
            return;
        }
        FromNode from = senders.computeIfAbsent(NodeIds.of(sender),
                id -> new FromNode(hazelcast.getTopic(topicName(id)), this::afterLoops));
        from.routed(number, reliable);
        if (!held) {
            from.reportIfDue(reportEvery);
        }
    }

    /** Runs {@code report} once each event loop has run what was queued on it before. */
    private void afterLoops(Runnable report) {
        if (loops.isEmpty()) {
            report.run();
            return;
        }
        AtomicInteger left = new AtomicInteger(loops.size());
        for (EventExecutor loop : loops) {
            loop.execute(() -> {
                if (left.decrementAndGet() == 0) {
                    report.run();
                }
            });
        }
    }

    void nodeLeft(UUID node) {
        senders.remove(node);
    }

    /** Test hook: node {@code node} (in this JVM) sends no report until {@link #release}. */
    static void hold(UUID node) {
        NODES.get(node).held = true;
    }

    /** Test hook: node {@code node} reports again, all it routed meanwhile at once. */
    static void release(UUID node) {
        ForwardingProgress progress = NODES.get(node);
        progress.held = false;
        progress.flush(true);
    }

    private void flush(boolean evenIfHeld) {
        if (!held || evenIfHeld) {
            senders.values().forEach(from -> from.reportIfDue(1));
        }
    }

    @Override
    public void close() {
        NODES.remove(self, this);
        flusher.shutdownNow();
    }

    /** What was routed from one node, and how much of it is not reported yet. */
    private static final class FromNode {
        private final ITopic<long[]> topic;
        private final Consumer<Runnable> afterLoops;
        private long atMostOnce;
        private long reliably;
        private long unreported;

        FromNode(ITopic<long[]> topic, Consumer<Runnable> afterLoops) {
            this.topic = topic;
            this.afterLoops = afterLoops;
        }

        synchronized void routed(long number, boolean reliable) {
            if (reliable) {
                reliably = Math.max(reliably, number);
            } else {
                atMostOnce = Math.max(atMostOnce, number);
            }
            unreported++;
        }

        /** Reports once {@code every} messages are unreported (at least one). */
        void reportIfDue(int every) {
            long[] report;
            synchronized (this) {
                if (unreported == 0 || unreported < every) {
                    return;
                }
                unreported = 0;
                report = new long[] {atMostOnce, reliably};
            }
            afterLoops.accept(() -> topic.publish(report));
        }
    }
}
