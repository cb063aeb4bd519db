package org.wrenmq.broker.time;

import io.netty.util.concurrent.EventExecutor;
import java.util.concurrent.TimeUnit;

/**
 * The broker's time, one per broker: wall-clock milliseconds (message expiry, when a session went offline), a
 * monotonic count of nanoseconds (keepalive), and timers that run a task on a given event loop (will delay,
 * session expiry, the keepalive sweep). {@link #SYSTEM} in production; a test hands the broker a clock it moves
 * by hand, so expiry and timeouts are tested without sleeping.
 */
public interface BrokerClock {
    BrokerClock SYSTEM = new SystemClock();

    /** Milliseconds since the epoch. */
    long millis();

    /** A monotonic count of nanoseconds, for intervals only. */
    long nanos();

    /** Runs {@code task} on {@code executor} after {@code delay}; a delay of 0 or less runs it as soon as it can. */
    Timer schedule(EventExecutor executor, Runnable task, long delay, TimeUnit unit);

    /** A scheduled task that has not run yet. */
    @FunctionalInterface
    interface Timer {
        /** Harmless after the task ran. */
        void cancel();
    }
}
