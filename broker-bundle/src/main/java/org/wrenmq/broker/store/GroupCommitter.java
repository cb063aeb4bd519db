package org.wrenmq.broker.store;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Executor;
import java.util.function.LongConsumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Group commit: one thread makes the store durable for many waiting acknowledgements at once. An action handed to
 * {@link #afterCommit} runs after the next commit that starts after it was handed over, so everything its caller
 * wrote before is in that commit. Under load, all acknowledgements that arrive during one fsync share the next.
 *
 * <p>An action given with an executor (a connection's event loop) runs there, and all actions of one commit for
 * the same executor run as one task: a publisher's whole window of PUBACKs then leaves in one write and one
 * wake-up of its event loop, instead of a task and a system call per PUBACK.
 *
 * <p>{@code persistence_sync_interval} (ms) makes the thread wait that long after the first waiting action before
 * committing, to gather more per fsync; 0 commits as soon as something waits.
 *
 * <p>The same thread runs the store's housekeeping about once a second, busy or idle (writes nobody waits for,
 * compaction), so that no other thread ever writes the file.
 */
final class GroupCommitter implements Runnable {
    private static final Logger LOG = LoggerFactory.getLogger(GroupCommitter.class);

    /** The durable step: commit the store's changes, and fsync them when so configured. */
    interface Commit {
        void run();
    }

    /** An action and where it runs ({@code null}: on the commit thread). */
    private record Waiting(Executor executor, Runnable action) {
    }

    static final long HOUSEKEEPING_MILLIS = 1_000;

    private final Commit commit;
    private final Runnable housekeeping;
    private long lastHousekeeping = System.nanoTime();
    private final long intervalMillis;
    private final Object lock = new Object();
    private List<Waiting> waiting = new ArrayList<>();
    /** The batch being committed, kept to be reused: the next one gathers in {@link #waiting} meanwhile. */
    private List<Waiting> committing = new ArrayList<>();
    private boolean running = true;
    private final Thread thread;
    private volatile LongConsumer commitObserver = nanos -> { };

    GroupCommitter(Commit commit, Runnable housekeeping, long intervalMillis, String name) {
        this.commit = commit;
        this.housekeeping = housekeeping;
        this.intervalMillis = intervalMillis;
        this.thread = new Thread(this, name);
        thread.setDaemon(true);
        thread.start();
    }

    void afterCommit(Runnable action) {
        afterCommit(null, action);
    }

    /** Runs {@code action} on {@code executor} (null: the commit thread) after the next commit. */
    void afterCommit(Executor executor, Runnable action) {
        synchronized (lock) {
            if (!running) {
                throw new IllegalStateException("store is closed");
            }
            waiting.add(new Waiting(executor, action));
            if (waiting.size() == 1) {
                lock.notifyAll();
            }
        }
    }

    @Override
    public void run() {
        while (true) {
            boolean waited;
            synchronized (lock) {
                if (waiting.isEmpty() && running) {
                    try {
                        lock.wait(HOUSEKEEPING_MILLIS);
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                        return;
                    }
                }
                if (waiting.isEmpty() && !running) {
                    return;
                }
                waited = !waiting.isEmpty();
            }
            housekeepingIfDue();
            if (!waited) {
                continue;
            }
            if (intervalMillis > 0 && running) {
                try {
                    Thread.sleep(intervalMillis);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
            List<Waiting> batch;
            synchronized (lock) {
                batch = waiting;
                waiting = committing;
            }
            long started = System.nanoTime();
            commit.run();
            commitObserver.accept(System.nanoTime() - started);
            dispatch(batch);
            batch.clear();
            committing = batch;
        }
    }

    private void housekeepingIfDue() {
        long now = System.nanoTime();
        if (now - lastHousekeeping >= HOUSEKEEPING_MILLIS * 1_000_000) {
            lastHousekeeping = now;
            try {
                housekeeping.run();
            } catch (RuntimeException e) {
                LOG.warn("store housekeeping failed: {}", e.toString());
            }
        }
    }

    /** Runs the batch's actions, in order, one task per executor. */
    private static void dispatch(List<Waiting> batch) {
        List<Executor> executors = new ArrayList<>(2);
        List<List<Runnable>> actions = new ArrayList<>(2);
        for (Waiting w : batch) {
            if (w.executor() == null) {
                runSafely(w.action());
                continue;
            }
            int i = indexOf(executors, w.executor());
            if (i < 0) {
                executors.add(w.executor());
                actions.add(new ArrayList<>());
                i = executors.size() - 1;
            }
            actions.get(i).add(w.action());
        }
        for (int i = 0; i < executors.size(); i++) {
            List<Runnable> mine = actions.get(i);
            try {
                executors.get(i).execute(() -> mine.forEach(GroupCommitter::runSafely));
            } catch (RuntimeException e) {
                LOG.warn("actions after store commit not run: {}", e.toString());
            }
        }
    }

    /** Few executors (the event loops): a scan beats a map. */
    private static int indexOf(List<Executor> executors, Executor e) {
        for (int i = 0; i < executors.size(); i++) {
            if (executors.get(i) == e) {
                return i;
            }
        }
        return -1;
    }

    private static void runSafely(Runnable action) {
        try {
            action.run();
        } catch (RuntimeException e) {
            LOG.warn("action after store commit failed: {}", e.toString());
        }
    }

    void observeCommits(LongConsumer observer) {
        this.commitObserver = observer;
    }

    /** False once the commit thread ended: closed, or stopped by a failed commit. */
    boolean isRunning() {
        return thread.isAlive();
    }

    /** Commits and runs what still waits, then stops the thread. */
    void close() {
        synchronized (lock) {
            running = false;
            lock.notifyAll();
        }
        try {
            thread.join(10_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
