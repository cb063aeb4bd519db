package org.wrenmq.broker.store;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;

/**
 * Store writes recorded by the broker's threads and applied to the file's maps later, in order, by the commit
 * thread: the event loops then never run MVStore code nor encode records.
 *
 * <p>A new record ("fresh": a message or a queue entry, whose key was never written before) that is removed
 * again before its commit is never written at all: a QoS 1 message that its online subscriber acknowledged within
 * the same commit costs the file nothing. Removals are "lazy": nothing waits for them, so they ride along with the
 * next commit that writes something (or the commit thread's housekeeping) instead of causing a commit and an
 * fsync of their own. Everything else is "urgent": the next commit must write it.
 */
final class PendingWrites {

    /** One recorded write; {@code write} is null once cancelled. */
    private static final class Write {
        Runnable write;
        final Generation generation;

        Write(Runnable write, Generation generation) {
            this.write = write;
            this.generation = generation;
        }
    }

    /**
     * The writes recorded between two commits' starts ({@link #close()}): what the actions of the later commit
     * wait for. Its urgent writes that were not cancelled must be written; cancelled ones need nothing.
     */
    static final class Generation {
        /** Urgent writes not cancelled: fresh ones, and others ({@link #fixed}), which cannot be cancelled. */
        private int urgent;
        private int fixed;
    }

    private final Object lock = new Object();
    private List<Write> writes = new ArrayList<>();
    /** The fresh records among {@link #writes}, by key, while they can still be cancelled or replaced. */
    private Map<Object, Write> fresh = new HashMap<>();
    private Generation current = new Generation();
    /** The list applied last, kept to be reused. */
    private List<Write> spare = new ArrayList<>();

    /** Records an urgent write of a fresh record under {@code key}, which may cancel or replace it until applied. */
    void fresh(Object key, Runnable write) {
        synchronized (lock) {
            Write w = new Write(write, current);
            writes.add(w);
            fresh.put(key, w);
            current.urgent++;
        }
    }

    /** Records an urgent write. */
    void urgent(Runnable write) {
        synchronized (lock) {
            writes.add(new Write(write, current));
            current.urgent++;
            current.fixed++;
        }
    }

    /** Records a write nothing waits for (a removal). */
    void lazy(Runnable write) {
        synchronized (lock) {
            writes.add(new Write(write, null));
        }
    }

    /** Replaces the still pending fresh write under {@code key}. @return false if it was applied already */
    boolean replace(Object key, Runnable write) {
        synchronized (lock) {
            Write w = fresh.get(key);
            if (w == null) {
                return false;
            }
            w.write = write;
            return true;
        }
    }

    /** Drops the still pending fresh write under {@code key}. @return false if it was applied already */
    boolean cancel(Object key) {
        synchronized (lock) {
            Write w = fresh.remove(key);
            if (w == null) {
                return false;
            }
            cancelled(w);
            return true;
        }
    }

    /** Drops every still pending fresh write whose key matches; returns their keys. */
    <K> List<K> cancelAll(Class<K> type, Predicate<K> matching) {
        List<K> cancelled = new ArrayList<>();
        synchronized (lock) {
            for (Iterator<Map.Entry<Object, Write>> it = fresh.entrySet().iterator(); it.hasNext(); ) {
                Map.Entry<Object, Write> e = it.next();
                if (type.isInstance(e.getKey()) && matching.test(type.cast(e.getKey()))) {
                    cancelled(e.getValue());
                    it.remove();
                    cancelled.add(type.cast(e.getKey()));
                }
            }
        }
        return cancelled;
    }

    private void cancelled(Write w) {
        w.write = null;
        if (--w.generation.urgent == 0) {
            lock.notifyAll();
        }
    }

    /** Ends the current generation (a commit starts): writes recorded from now on belong to the next one. */
    Generation close() {
        synchronized (lock) {
            Generation g = current;
            current = new Generation();
            return g;
        }
    }

    /** Whether {@code g} holds an urgent write that was not cancelled: a commit must write it. */
    boolean hasUrgent(Generation g) {
        synchronized (lock) {
            return g.urgent > 0;
        }
    }

    /**
     * Waits up to {@code nanos} for every urgent write of {@code g} to be cancelled (all fresh records removed
     * again), but not at all when one of them cannot be. @return whether {@code g} needs no write any more
     */
    boolean awaitCancelled(Generation g, long nanos) throws InterruptedException {
        long deadline = System.nanoTime() + nanos;
        synchronized (lock) {
            while (g.urgent > 0 && g.fixed == 0) {
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    return false;
                }
                lock.wait(left / 1_000_000, (int) (left % 1_000_000));
            }
            return g.urgent == 0;
        }
    }

    boolean isEmpty() {
        synchronized (lock) {
            return writes.isEmpty();
        }
    }

    /**
     * Applies everything recorded so far, in order, on the calling thread (the commit thread). Writes recorded
     * meanwhile wait for the next call.
     */
    void apply() {
        List<Write> batch;
        synchronized (lock) {
            if (writes.isEmpty()) {
                return;
            }
            batch = writes;
            writes = spare;
            fresh = fresh.isEmpty() ? fresh : new HashMap<>();
            current = new Generation();
        }
        for (Write w : batch) {
            if (w.write != null) {
                w.write.run();
            }
        }
        batch.clear();
        spare = batch;
    }
}
