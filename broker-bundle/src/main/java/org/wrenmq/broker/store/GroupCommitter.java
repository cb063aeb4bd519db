package org.wrenmq.broker.store;

import java.util.ArrayList;
import java.util.List;
import java.util.function.LongConsumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Group commit: one thread makes the store durable for many waiting acknowledgements at once. An action handed to
 * {@link #afterCommit} runs after the next commit that starts after it was handed over, so everything its caller
 * wrote before is in that commit. Under load, all acknowledgements that arrive during one fsync share the next.
 *
 * <p>{@code persistence_sync_interval} (ms) makes the thread wait that long after the first waiting action before
 * committing, to gather more per fsync; 0 commits as soon as something waits.
 */
final class GroupCommitter implements Runnable {
    private static final Logger LOG = LoggerFactory.getLogger(GroupCommitter.class);

    /** The durable step: commit the store's changes, and fsync them when so configured. */
    interface Commit {
        void run();
    }

    private final Commit commit;
    private final long intervalMillis;
    private final Object lock = new Object();
    private List<Runnable> waiting = new ArrayList<>();
    private boolean running = true;
    private final Thread thread;
    private volatile LongConsumer commitObserver = nanos -> { };

    GroupCommitter(Commit commit, long intervalMillis, String name) {
        this.commit = commit;
        this.intervalMillis = intervalMillis;
        this.thread = new Thread(this, name);
        thread.setDaemon(true);
        thread.start();
    }

    void afterCommit(Runnable action) {
        synchronized (lock) {
            if (!running) {
                throw new IllegalStateException("store is closed");
            }
            waiting.add(action);
            if (waiting.size() == 1) {
                lock.notifyAll();
            }
        }
    }

    @Override
    public void run() {
        while (true) {
            synchronized (lock) {
                while (waiting.isEmpty() && running) {
                    try {
                        lock.wait();
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                        return;
                    }
                }
                if (waiting.isEmpty()) {
                    return;
                }
            }
            if (intervalMillis > 0 && running) {
                try {
                    Thread.sleep(intervalMillis);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
            List<Runnable> batch;
            synchronized (lock) {
                batch = waiting;
                waiting = new ArrayList<>();
            }
            long started = System.nanoTime();
            commit.run();
            commitObserver.accept(System.nanoTime() - started);
            for (Runnable action : batch) {
                try {
                    action.run();
                } catch (RuntimeException e) {
                    LOG.warn("action after store commit failed: {}", e.toString());
                }
            }
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
