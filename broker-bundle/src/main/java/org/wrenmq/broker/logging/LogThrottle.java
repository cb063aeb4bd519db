package org.wrenmq.broker.logging;

import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;

/**
 * Decides whether an event worth a log line gets one: once per key (a remote address, a client id) per window,
 * and at most {@code maxLinesPerWindow} lines per window in all, so a scanner or a flood from many addresses cannot
 * flood the log. Events without a line are counted and the next line says how many there were.
 *
 * <p>The keys logged within the window are remembered in insertion (= time) order, so expired ones are dropped
 * from the head and the map never holds more than {@code maxLinesPerWindow} keys. Thread-safe; meant for rare
 * events (refusals, closes), not for every packet.
 */
public final class LogThrottle {
    /** The usual window: one line per key per minute. */
    public static final long MINUTE_NANOS = TimeUnit.MINUTES.toNanos(1);
    /** The usual bound on lines per window. */
    public static final int DEFAULT_MAX_LINES = 100;

    private final long windowNanos;
    private final int maxLinesPerWindow;
    private final LongSupplier nanoClock;
    private final Map<String, Long> loggedAt = new LinkedHashMap<>();
    private long suppressed;

    public LogThrottle(long windowNanos, int maxLinesPerWindow, LongSupplier nanoClock) {
        this.windowNanos = windowNanos;
        this.maxLinesPerWindow = maxLinesPerWindow;
        this.nanoClock = nanoClock;
    }

    /** One line per key per minute, at most {@value #DEFAULT_MAX_LINES} lines a minute, on the JVM's clock. */
    public static LogThrottle perMinute() {
        return new LogThrottle(MINUTE_NANOS, DEFAULT_MAX_LINES, System::nanoTime);
    }

    /**
     * Whether this event for {@code key} gets a log line. When it does, the caller should also report
     * {@link #takeSuppressed()}.
     */
    public synchronized boolean admit(String key) {
        long now = nanoClock.getAsLong();
        for (Iterator<Long> it = loggedAt.values().iterator(); it.hasNext(); ) {
            if (now - it.next() < windowNanos) {
                break;
            }
            it.remove();
        }
        if (loggedAt.containsKey(key) || loggedAt.size() >= maxLinesPerWindow) {
            suppressed++;
            return false;
        }
        loggedAt.put(key, now);
        return true;
    }

    /** How many events got no line since the last call. */
    public synchronized long takeSuppressed() {
        long n = suppressed;
        suppressed = 0;
        return n;
    }

    /** A suffix for a log line that says how many like it were left out, or nothing. */
    public String suppressedNote() {
        long n = takeSuppressed();
        return n == 0 ? "" : " (" + n + " similar events since the previous line not logged)";
    }
}
