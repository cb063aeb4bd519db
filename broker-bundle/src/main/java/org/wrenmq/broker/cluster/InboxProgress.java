package org.wrenmq.broker.cluster;

import com.hazelcast.core.HazelcastInstance;
import com.hazelcast.map.IMap;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * How far this node's QoS 1/2 ring buffer is read and mirrored: a message forwarded here was acknowledged to its
 * publisher once it was in the ring buffer, before this node routed it and mirrored what it queued for persistent
 * sessions. Should this node die in between, the survivor adopting its sessions replays the ring buffer after the
 * position recorded here ({@code wrenmq.inbox-mirrored}, written every {@value #FLUSH_MILLIS} ms when it moved).
 * A position recorded late only makes the replay longer: messages a session has, or had (their tombstones stay in
 * the mirror until the position recorded passes them), are skipped.
 */
final class InboxProgress implements AutoCloseable {
    static final String MAP = HazelcastSetup.MAP_PREFIX + "inbox-mirrored";
    private static final long FLUSH_MILLIS = 100;

    private final MirroredStore store;
    private final IMap<String, Long> positions;
    private final String self;
    private final ScheduledExecutorService flusher = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "wrenmq-cluster-inbox-progress");
        t.setDaemon(true);
        return t;
    });
    /** The messages routed, in ring buffer order: each position is recorded after the ones before it. */
    private volatile CompletableFuture<Void> lastRouted = CompletableFuture.completedFuture(null);
    private volatile long mirroredThrough = -1;
    private long flushed = -1;

    InboxProgress(HazelcastInstance hazelcast, MirroredStore store) {
        this.store = store;
        this.positions = hazelcast.getMap(MAP);
        this.self = NodeIds.self(hazelcast).toString();
        flusher.scheduleWithFixedDelay(this::flush, FLUSH_MILLIS, FLUSH_MILLIS, TimeUnit.MILLISECONDS);
    }

    /** Where the dead {@code node} had mirrored its ring buffer through, -1 when it recorded nothing. */
    static long mirroredThrough(HazelcastInstance hazelcast, UUID node) {
        Long position = hazelcast.<String, Long>getMap(MAP).get(node.toString());
        return position == null ? -1 : position;
    }

    static void forget(HazelcastInstance hazelcast, UUID node) {
        hazelcast.<String, Long>getMap(MAP).delete(node.toString());
    }

    /** The message at {@code ringSeq} is about to be routed, on this thread. */
    void routing(long ringSeq) {
        store.routingFromRing(ringSeq);
    }

    /** The message at {@code ringSeq} was routed on this thread: its position counts once what it wrote is held. */
    void routed(long ringSeq) {
        store.routingFromRing(-1);
        CompletableFuture<Void> held = new CompletableFuture<>();
        store.afterCommit(() -> held.complete(null));
        lastRouted = CompletableFuture.allOf(lastRouted, held).thenRun(() -> mirroredThrough = ringSeq);
    }

    private void flush() {
        long position = mirroredThrough;
        if (position != flushed) {
            flushed = position;
            positions.setAsync(self, position).thenRun(() -> store.mirroredThrough(position));
        }
    }

    @Override
    public void close() {
        flusher.shutdownNow();
    }
}
