package org.wrenmq.broker.http;

import io.netty.util.concurrent.EventExecutor;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;
import java.util.function.Supplier;

/**
 * The last minutes of the broker's main counters, sampled every {@link #INTERVAL_SECONDS} on the HTTP listener's
 * own event loop, so the console's charts are full the moment a page opens. The browser turns the cumulative
 * counters into rates.
 */
final class RateHistory {
    static final int INTERVAL_SECONDS = 2;
    /** Ten minutes of samples. */
    static final int SAMPLES = 300;

    /** One sample: cumulative counters but for {@code connected}, a gauge. Public: JSON-B reads it. */
    public record Sample(long timeMillis, long connected, long received, long sent, long bytesReceived, long bytesSent,
                  long dropped) {
    }

    private final Supplier<Map<String, Long>> counters;
    private final LongSupplier clock;
    private final ArrayDeque<Sample> samples = new ArrayDeque<>(SAMPLES);

    RateHistory(Supplier<Map<String, Long>> counters, LongSupplier clock) {
        this.counters = counters;
        this.clock = clock;
    }

    /** Samples on {@code loop} until it shuts down (with the listener). */
    void start(EventExecutor loop) {
        loop.scheduleAtFixedRate(this::sample, 0, INTERVAL_SECONDS, TimeUnit.SECONDS);
    }

    synchronized void sample() {
        Map<String, Long> c;
        try {
            c = counters.get();
        } catch (IllegalStateException stopped) {
            return;
        }
        if (samples.size() == SAMPLES) {
            samples.removeFirst();
        }
        samples.addLast(new Sample(clock.getAsLong(), get(c, "connections.current"), get(c, "messages.received"),
                get(c, "messages.sent"), get(c, "bytes.received"), get(c, "bytes.sent"),
                get(c, "messages.dropped.queue_full") + get(c, "messages.dropped.qos0_offline")
                        + get(c, "messages.dropped.expired") + get(c, "messages.dropped.too_large_for_client")));
    }

    synchronized List<Sample> samples() {
        return new ArrayList<>(samples);
    }

    private static long get(Map<String, Long> counters, String name) {
        Long v = counters.get(name);
        return v == null ? 0 : v;
    }
}
