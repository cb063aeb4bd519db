package org.wrenmq.broker.cluster;

import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;

/**
 * Whether this JVM came out of a pause lately (a long GC pause, a process stopped with SIGSTOP, a suspended VM).
 * The other nodes declare a node dead that sent no heartbeat for Hazelcast's {@code max.no.heartbeat.seconds}, and
 * adopt its sessions; the paused node, going on, finds them gone one member list at a time, and in between may see a
 * passing majority ({@link SplitBrainGuard}). A node that was paused long enough to have been taken for dead adopts
 * nothing for a while after: it is the one most likely cut off.
 *
 * <p>A timer ticks every {@value #TICK_MILLIS} ms; a gap between ticks of at least two thirds of the heartbeat
 * timeout is a pause, and a node refuses takeovers for one heartbeat timeout after it (or while its timer has not
 * ticked yet after one).
 */
final class PauseWatch implements AutoCloseable {
    static final long TICK_MILLIS = 500;

    private final LongSupplier nanos;
    private final long pauseNanos;
    private final long refuseNanos;
    private final ScheduledExecutorService timer;
    // written by the timer only
    private volatile long lastTick;
    private volatile long pauseEnded;
    private volatile long pausedNanos;

    /** A watch that ticks when told ({@link #tick}): for tests, with a clock of their own. */
    PauseWatch(long maxNoHeartbeatSeconds, LongSupplier nanos) {
        this(maxNoHeartbeatSeconds, nanos, null);
    }

    private PauseWatch(long maxNoHeartbeatSeconds, LongSupplier nanos, ScheduledExecutorService timer) {
        this.nanos = nanos;
        this.refuseNanos = TimeUnit.SECONDS.toNanos(maxNoHeartbeatSeconds);
        this.pauseNanos = refuseNanos * 2 / 3;
        this.timer = timer;
        this.lastTick = nanos.getAsLong();
        this.pauseEnded = lastTick - refuseNanos;
    }

    /** A watch ticking on a daemon thread of its own until closed. */
    static PauseWatch started(long maxNoHeartbeatSeconds) {
        ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "wrenmq-pause-watch");
            t.setDaemon(true);
            return t;
        });
        PauseWatch watch = new PauseWatch(maxNoHeartbeatSeconds, System::nanoTime, timer);
        timer.scheduleWithFixedDelay(watch::tick, TICK_MILLIS, TICK_MILLIS, TimeUnit.MILLISECONDS);
        return watch;
    }

    void tick() {
        long now = nanos.getAsLong();
        long gap = now - lastTick;
        if (gap >= pauseNanos) {
            pausedNanos = gap;
            pauseEnded = now;
        }
        lastTick = now;
    }

    /** How long the pause this node came out of lately lasted, in ms; 0 when there was none. */
    long recentPauseMillis() {
        long now = nanos.getAsLong();
        long sinceTick = now - lastTick;
        if (sinceTick >= pauseNanos) {
            return TimeUnit.NANOSECONDS.toMillis(sinceTick);
        }
        return now - pauseEnded < refuseNanos ? TimeUnit.NANOSECONDS.toMillis(pausedNanos) : 0;
    }

    @Override
    public void close() {
        if (timer != null) {
            timer.shutdownNow();
        }
    }
}
