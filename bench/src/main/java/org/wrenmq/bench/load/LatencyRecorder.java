package org.wrenmq.bench.load;

import io.netty.handler.codec.mqtt.MqttPublishMessage;
import java.util.Arrays;

/** Records end-to-end latency of each message sent after the warm-up; one subscriber, so one thread writes. */
final class LatencyRecorder implements ClientConnection.Listener {
    private final long[] samples;
    /** Messages due before this (the warm-up) are counted but not recorded; nothing is until it is set. */
    private volatile long measureFromNanos = Long.MAX_VALUE;
    private volatile int count;
    private volatile long received;

    LatencyRecorder(int capacity) {
        this.samples = new long[capacity];
    }

    void measureFrom(long nanos) {
        measureFromNanos = nanos;
    }

    @Override
    public void onMessage(MqttPublishMessage message) {
        long now = System.nanoTime();
        received++;
        long sentAt = Payloads.sendNanos(message.payload());
        int n = count;
        if (sentAt >= measureFromNanos && n < samples.length) {
            samples[n] = now - sentAt;
            count = n + 1;
        }
    }

    long received() {
        return received;
    }

    /** Sorted latencies in nanoseconds; read after delivery has ended. */
    long[] sorted() {
        long[] copy = Arrays.copyOf(samples, count);
        Arrays.sort(copy);
        return copy;
    }

    static double percentile(long[] sorted, double percent) {
        if (sorted.length == 0) {
            return Double.NaN;
        }
        int index = (int) Math.ceil(percent / 100.0 * sorted.length) - 1;
        return sorted[Math.max(0, Math.min(sorted.length - 1, index))];
    }
}
