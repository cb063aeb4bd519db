package org.wrenmq.broker.metrics;

import java.util.HashMap;
import java.util.Map;
import java.util.function.BiConsumer;

/**
 * mosquitto's {@code $SYS/broker/load/.../1min|5min|15min}: for each counter, the number of events per minute as a
 * moving average over 1, 5 and 15 minutes, decayed exponentially at each {@code sys_interval} update as mosquitto
 * does (and as Unix load averages are), printed with two decimals.
 */
final class LoadAverages {
    private static final int[] WINDOWS_SECONDS = {60, 300, 900};
    private static final String[] SUFFIXES = {"1min", "5min", "15min"};

    private final Map<String, long[]> lastCounts = new HashMap<>();
    private final Map<String, double[]> loads = new HashMap<>();

    /**
     * Takes {@code count}, the counter's value {@code elapsedSeconds} after the previous update, and hands each
     * average to {@code publish} as ({@code NAME/1min}, value). The first update only remembers the count.
     */
    void update(String name, long count, double elapsedSeconds, BiConsumer<String, String> publish) {
        long[] last = lastCounts.get(name);
        double[] load = loads.computeIfAbsent(name, n -> new double[WINDOWS_SECONDS.length]);
        if (last != null && elapsedSeconds > 0) {
            double perMinute = (count - last[0]) * 60.0 / elapsedSeconds;
            for (int i = 0; i < WINDOWS_SECONDS.length; i++) {
                double decay = Math.exp(-elapsedSeconds / WINDOWS_SECONDS[i]);
                load[i] = perMinute + decay * (load[i] - perMinute);
            }
        }
        lastCounts.put(name, new long[] {count});
        for (int i = 0; i < WINDOWS_SECONDS.length; i++) {
            publish.accept(name + "/" + SUFFIXES[i], String.format(java.util.Locale.ROOT, "%.2f", load[i]));
        }
    }
}
