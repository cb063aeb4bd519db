package org.wrenmq.broker.cluster;

import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.wrenmq.broker.logging.LogThrottle;
import org.wrenmq.broker.routing.RemoteNodes;

/**
 * How far another node is behind with what this node forwarded to it ({@code cluster_max_inflight_messages}). Each
 * message to the node is numbered, per QoS path (QoS 0 on its topic, QoS 1/2 in its ring buffer); the node reports
 * the last numbers it routed ({@link ForwardingProgress}). When the difference reaches the limit the window is
 * full: the publishers whose messages go there stop being read (as a subscriber's full socket stops a publisher on
 * one broker) until the node has caught up to half of it, so neither Hazelcast's event queue nor the ring buffer
 * takes more than the window from this node, and nothing is dropped for it. A node that leaves opens its window for
 * good: no publisher waits for a dead node.
 */
final class ForwardingWindow {
    private static final Logger LOG = LoggerFactory.getLogger(ForwardingWindow.class);

    private final UUID node;
    /** The limit; {@link Integer#MAX_VALUE}: never full. */
    private final int limit;
    private final ClusterCounters counters;
    private final LogThrottle fullLog;
    // guarded by this
    private long sentAtMostOnce;
    private long sentReliably;
    private long routedAtMostOnce;
    private long routedReliably;
    /** Completed when the window opens again; null while it is open. */
    private CompletableFuture<Void> open;
    private long fullSinceNanos;
    private boolean gone;

    ForwardingWindow(UUID node, int limit, ClusterCounters counters, LogThrottle fullLog) {
        this.node = node;
        this.limit = limit;
        this.counters = counters;
        this.fullLog = fullLog;
    }

    /** A window that never fills (a node built without one, in tests of other things). */
    static ForwardingWindow unbounded(UUID node) {
        return new ForwardingWindow(node, Integer.MAX_VALUE, new ClusterCounters(), LogThrottle.perMinute());
    }

    /** The number of the next QoS 0 message to the node: 1, 2, 3... */
    synchronized long nextAtMostOnce() {
        long n = ++sentAtMostOnce;
        fillCheck();
        return n;
    }

    /** The number of the next QoS 1/2 message to the node: 1, 2, 3... */
    synchronized long nextReliable() {
        long n = ++sentReliably;
        fillCheck();
        return n;
    }

    /**
     * @return completes when the node has room again; {@link RemoteNodes#NOTHING_TO_WAIT} while the window is open
     */
    synchronized CompletionStage<Void> whenOpen() {
        return open == null ? RemoteNodes.NOTHING_TO_WAIT : open;
    }

    /** The node reports the last message of each path it routed (numbers only grow: a late report changes nothing). */
    void routed(long atMostOnce, long reliably) {
        CompletableFuture<Void> opened;
        synchronized (this) {
            routedAtMostOnce = Math.max(routedAtMostOnce, atMostOnce);
            routedReliably = Math.max(routedReliably, reliably);
            if (open == null || inflight() > limit / 2) {
                return;
            }
            opened = reopen();
        }
        opened.complete(null);
    }

    /** The node left the cluster: nothing waits for it, now or later. */
    void nodeLeft() {
        CompletableFuture<Void> opened;
        synchronized (this) {
            gone = true;
            if (open == null) {
                return;
            }
            opened = reopen();
        }
        opened.complete(null);
    }

    /** Messages sent and not reported routed (those lost on the way count as routed once a later one is). */
    synchronized long inflight() {
        return Math.max(0, sentAtMostOnce - routedAtMostOnce) + Math.max(0, sentReliably - routedReliably);
    }

    private void fillCheck() {
        if (open != null || gone || inflight() < limit) {
            return;
        }
        open = new CompletableFuture<>();
        fullSinceNanos = System.nanoTime();
        counters.forwardingPaused.increment();
        String id = node.toString();
        if (fullLog.admit(id)) {
            LOG.warn("cluster: node {} is {} messages behind with what this node sent it "
                    + "(cluster_max_inflight_messages): the publishers sending to it are paused until it catches "
                    + "up{}", id, inflight(), fullLog.suppressedNote());
        }
    }

    private CompletableFuture<Void> reopen() {
        CompletableFuture<Void> opened = open;
        open = null;
        counters.forwardingPausedMillis.add((System.nanoTime() - fullSinceNanos) / 1_000_000);
        return opened;
    }
}
