package org.wrenmq.broker.cluster;

import java.util.concurrent.Executor;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;

/**
 * One thread per node for the cluster map writes that must not run on an event loop, in the order they were asked
 * for (a filter's add before its remove). Once stopped, it takes no more work: Hazelcast's own shutdown still
 * reports members leaving, and there is nothing left to write for them.
 */
final class ClusterWriter implements Executor {
    /** How long a clean stop waits for the writes already asked for (this node's filters leaving the directory). */
    private static final long STOP_WAIT_SECONDS = 5;

    private final ExecutorService thread = Executors.newSingleThreadExecutor(r -> {
        Thread t = new Thread(r, "wrenmq-cluster-writer");
        t.setDaemon(true);
        return t;
    });

    @Override
    public void execute(Runnable write) {
        try {
            thread.execute(write);
        } catch (RejectedExecutionException stopped) {
            // stopping: the node's entries are being removed anyway
        }
    }

    void stop() {
        thread.shutdown();
        try {
            thread.awaitTermination(STOP_WAIT_SECONDS, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
