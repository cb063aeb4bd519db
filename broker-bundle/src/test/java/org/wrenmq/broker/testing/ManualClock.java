package org.wrenmq.broker.testing;

import io.netty.util.concurrent.EventExecutor;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.wrenmq.broker.time.BrokerClock;

/**
 * A broker clock that moves only when a test says so: {@link #advance} moves both clocks and runs every timer
 * that came due, in due order, each on its event loop, and returns once they ran. Expiry, will delay, session
 * expiry and keepalive are then tested without sleeping and without wall-clock windows.
 */
public final class ManualClock implements BrokerClock {
    private final List<Pending> pending = new ArrayList<>();
    private long nanos;
    private long millis = System.currentTimeMillis();

    @Override
    public synchronized long millis() {
        return millis;
    }

    @Override
    public synchronized long nanos() {
        return nanos;
    }

    @Override
    public Timer schedule(EventExecutor executor, Runnable task, long delay, TimeUnit unit) {
        if (delay <= 0) {
            executor.execute(task);
            return () -> { };
        }
        Pending p;
        synchronized (this) {
            p = new Pending(nanos + unit.toNanos(delay), executor, task);
            pending.add(p);
        }
        return () -> p.cancelled = true;
    }

    /** Moves time forward and runs the timers that came due (also those they schedule within the step). */
    public void advance(Duration step) {
        long target;
        synchronized (this) {
            target = nanos + step.toNanos();
        }
        while (true) {
            Pending next;
            synchronized (this) {
                next = pending.stream().filter(p -> p.dueNanos <= target)
                        .min(Comparator.comparingLong(p -> p.dueNanos)).orElse(null);
                if (next == null) {
                    millis += TimeUnit.NANOSECONDS.toMillis(target - nanos);
                    nanos = target;
                    return;
                }
                pending.remove(next);
                millis += TimeUnit.NANOSECONDS.toMillis(next.dueNanos - nanos);
                nanos = Math.max(nanos, next.dueNanos);
            }
            if (!next.cancelled) {
                runOnLoop(next);
            }
        }
    }

    private static void runOnLoop(Pending p) {
        try {
            p.executor.submit(p.task).get(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        } catch (ExecutionException | TimeoutException e) {
            throw new IllegalStateException("timer task failed or hung", e);
        }
    }

    private static final class Pending {
        final long dueNanos;
        final EventExecutor executor;
        final Runnable task;
        volatile boolean cancelled;

        Pending(long dueNanos, EventExecutor executor, Runnable task) {
            this.dueNanos = dueNanos;
            this.executor = executor;
            this.task = task;
        }
    }
}
