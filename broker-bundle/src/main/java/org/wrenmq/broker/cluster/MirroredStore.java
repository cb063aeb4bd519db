package org.wrenmq.broker.cluster;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Executor;
import java.util.function.LongConsumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.wrenmq.broker.logging.LogThrottle;
import org.wrenmq.broker.message.Publication;
import org.wrenmq.broker.store.MessageStore;
import org.wrenmq.broker.store.StoredEntry;
import org.wrenmq.broker.store.StoredSession;

/**
 * A cluster node's store: this node's own store, with every persistent session's record and QoS 1/2 messages also
 * written to the {@link SessionMirror}, so that a survivor can adopt them when this node dies. What waits for the
 * store ({@link #afterCommit}: a publisher's PUBACK/PUBREC, a PUBREL) also waits until the cluster holds what the
 * same thread mirrored before, so an acknowledged message for a session of this node is in the cluster too.
 *
 * <p>Until the node joined the cluster (while it restores its store) it writes its own store only.
 */
final class MirroredStore implements MessageStore {
    private static final Logger LOG = LoggerFactory.getLogger(MirroredStore.class);
    private static final CompletableFuture<Void> DONE = CompletableFuture.completedFuture(null);

    private final MessageStore local;
    private volatile SessionMirror mirror;
    private Executor writer;
    private ClusterCounters counters;
    private final LogThrottle failureLog = LogThrottle.perMinute();
    /**
     * Per writing thread (event loops, the cluster's threads): the message it stored last, which the router's
     * entries for it refer to, and its mirror writes and acknowledgements still under way, kept in order.
     */
    private final ThreadLocal<PerThread> perThread = ThreadLocal.withInitial(PerThread::new);

    private static final class PerThread {
        long messageId = -1;
        Publication message;
        /** Where this node's ring buffer had the message being routed, -1 for one published here. */
        long ringSeq = -1;
        CompletableFuture<Void> writes = DONE;
        CompletableFuture<Void> actions = DONE;
    }

    MirroredStore(MessageStore local) {
        this.local = local;
    }

    void connect(SessionMirror mirror, Executor writer, ClusterCounters counters) {
        this.writer = writer;
        this.counters = counters;
        this.mirror = mirror;
    }

    /** This node's own store, without the mirror: for what must not touch the cluster's copy. */
    MessageStore local() {
        return local;
    }

    /** The message the current thread routes next came through this node's ring buffer at {@code ringSeq}. */
    void routingFromRing(long ringSeq) {
        perThread.get().ringSeq = ringSeq;
    }

    private void track(CompletionStage<Void> write) {
        CompletableFuture<Void> f = write.toCompletableFuture().whenComplete((ok, failure) -> {
            if (failure != null) {
                counters.sessionsMirrorFailed.increment();
                if (failureLog.admit("mirror")) {
                    LOG.warn("cluster: a persistent session's state could not be written to the cluster ({}); it is "
                            + "in this node's store, but lost if this node dies{}", failure.toString(),
                            failureLog.suppressedNote());
                }
            }
        }).handle((ok, failure) -> null);
        PerThread t = perThread.get();
        t.writes = t.writes.isDone() ? f : CompletableFuture.allOf(t.writes, f);
    }

    @Override
    public long addMessage(Publication p) {
        long id = local.addMessage(p);
        if (mirror != null) {
            PerThread t = perThread.get();
            t.messageId = id;
            t.message = p;
        }
        return id;
    }

    @Override
    public void addEntry(String clientId, StoredEntry entry) {
        local.addEntry(clientId, entry);
        SessionMirror m = mirror;
        if (m != null) {
            PerThread t = perThread.get();
            if (t.messageId == entry.messageId()) {
                track(m.putMessage(clientId, entry, t.message, t.ringSeq));
            } else {
                // every entry follows its message on the same thread (the router, an adoption): a bug otherwise
                track(CompletableFuture.failedFuture(new IllegalStateException("message " + entry.messageId()
                        + " for '" + clientId + "' was not stored on this thread")));
            }
        }
    }

    @Override
    public void removeEntry(String clientId, StoredEntry entry) {
        local.removeEntry(clientId, entry);
        SessionMirror m = mirror;
        if (m != null) {
            m.removeMessage(clientId, entry);
        }
    }

    @Override
    public void saveSession(StoredSession session) {
        local.saveSession(session);
        SessionMirror m = mirror;
        if (m != null) {
            track(m.putSession(session));
        }
    }

    @Override
    public void removeSession(String clientId) {
        local.removeSession(clientId);
        SessionMirror m = mirror;
        if (m != null) {
            m.removeSession(clientId, writer);
        }
    }

    @Override
    public void afterCommit(Runnable action) {
        afterCommit(null, action);
    }

    /**
     * Runs {@code action} once the store committed and the cluster holds this thread's earlier mirror writes; the
     * actions of one thread run in the order asked for (acknowledgements leave in PUBLISH order [MQTT-4.6.0-2]).
     */
    @Override
    public void afterCommit(Executor executor, Runnable action) {
        PerThread t = perThread.get();
        if (t.writes.isDone() && t.actions.isDone()) {
            if (executor == null) {
                local.afterCommit(action);
            } else {
                local.afterCommit(executor, action);
            }
            return;
        }
        CompletableFuture<Void> committed = new CompletableFuture<>();
        local.afterCommit(() -> committed.complete(null));
        t.actions = CompletableFuture.allOf(t.actions, t.writes, committed).handle((ok, failure) -> {
            if (executor == null) {
                action.run();
            } else {
                executor.execute(action);
            }
            return null;
        });
    }

    /** A QoS 2 message goes out once the cluster holds its entry (or its write failed, counted and logged). */
    @Override
    public boolean mayGoOut(String clientId, StoredEntry entry, Runnable whenHeld) {
        SessionMirror m = mirror;
        CompletableFuture<Void> written = m == null ? null : m.writing(clientId, entry.seq());
        if (written == null || written.isDone()) {
            return true;
        }
        written.whenComplete((ok, failure) -> whenHeld.run());
        return false;
    }

    @Override
    public void markReleased(String clientId, StoredEntry entry) {
        local.markReleased(clientId, entry);
        SessionMirror m = mirror;
        if (m != null) {
            track(m.markReleased(clientId, entry.seq()));
        }
    }

    @Override
    public void addIncomingQos2(String clientId, int packetId) {
        local.addIncomingQos2(clientId, packetId);
        SessionMirror m = mirror;
        if (m != null) {
            track(m.putIncomingQos2(clientId, packetId));
        }
    }

    @Override
    public void removeIncomingQos2(String clientId, int packetId) {
        local.removeIncomingQos2(clientId, packetId);
        SessionMirror m = mirror;
        if (m != null) {
            m.removeIncomingQos2(clientId, packetId);
        }
    }

    /** This node recorded that it mirrored its ring buffer through {@code position} ({@link InboxProgress}). */
    void mirroredThrough(long position) {
        SessionMirror m = mirror;
        if (m != null) {
            m.mirroredThrough(position);
        }
    }

    @Override public boolean durable() { return local.durable(); }
    @Override public boolean writable() { return local.writable(); }
    @Override public long sizeBytes() { return local.sizeBytes(); }
    @Override public void observeCommits(LongConsumer observer) { local.observeCommits(observer); }
    @Override public void putRetained(Publication p) { local.putRetained(p); }
    @Override public Recovered recover() { return local.recover(); }
    @Override public void close() { local.close(); }
}
