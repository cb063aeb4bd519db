package org.wrenmq.bench.load;

import java.util.List;

/** Opens many connections that then stay idle: connection rate and the broker's memory per connection. */
final class IdleConnectionsWorkload implements Workload {
    /**
     * CONNECTs awaiting their CONNACK at any time: below mosquitto's listen backlog of 100, so no SYN is dropped
     * and retried a second later (which would measure the kernel's retry timer, not the broker).
     */
    private static final int CONCURRENCY = 64;
    /**
     * Lets the broker finish allocating per-connection state before RSS is read, and a JVM its housekeeping: the
     * JIT compiler's scratch memory goes back to the C library within 5 s (HotSpot's chunk pool cleaner) and to
     * the OS with WrenMQ's native heap trim (every second), so what is read is what the connections hold.
     */
    private static final long SETTLE_MILLIS = 6000;
    /** Connected and closed before the baseline, so code paths are loaded (in both brokers and the load generator). */
    private static final int WARM_UP_CONNECTIONS = 1000;
    /**
     * Rounds of as many connections as measured, opened and closed unmeasured after the memory figures, before
     * the JIT-warm round: a JVM compiles its connection code fully only after some 20,000-30,000 connections (the
     * first rounds cost WrenMQ 230 and 120 µs of CPU per CONNECT, the third 65). Users of a long-running broker
     * see the warm figure; the first round is the cost right after start-up. mosquitto gets the same rounds.
     */
    private static final int JIT_WARM_UP_ROUNDS = 2;
    /** Lets the broker finish the last round's DISCONNECTs, so their cost is not counted in the measured round. */
    private static final long CLOSE_SETTLE_MILLIS = 1000;

    private final int connections;

    IdleConnectionsWorkload(int connections) {
        this.connections = connections;
    }

    @Override
    public String key() {
        return "idle";
    }

    @Override
    public String title() {
        return String.format("%,d idle connections", connections);
    }

    @Override
    public boolean needsFreshBroker() {
        return true;
    }

    @Override
    public List<Metric> run(Target target, LoadContext context) throws Exception {
        LoadContext.closeAll(context.connect(target, "idle-warmup", WARM_UP_CONNECTIONS, CONCURRENCY,
                i -> new ClientConnection.Listener() { }));
        Thread.sleep(SETTLE_MILLIS);
        ProcessProbe broker = context.probe(target);
        long rss0 = broker.rssBytes();
        Round first = connectRound(target, context, broker, "idle");
        Thread.sleep(SETTLE_MILLIS);
        long rss = broker.rssBytes();
        LoadContext.closeAll(first.open);
        for (int i = 0; i < JIT_WARM_UP_ROUNDS; i++) {
            LoadContext.closeAll(connectRound(target, context, broker, "idle-jit-" + i).open);
        }
        Thread.sleep(CLOSE_SETTLE_MILLIS);
        Round warm = connectRound(target, context, broker, "idle-warm");
        LoadContext.closeAll(warm.open);
        return List.of(
                Metric.higher("connects/s", first.connectsPerSecond()),
                Metric.lower("broker RSS KiB/connection", (rss - rss0) / 1024.0 / connections),
                Metric.info("broker RSS MiB before", rss0 / 1048576.0),
                Metric.info("broker RSS MiB with all open", rss / 1048576.0),
                Metric.lower("broker CPU µs/connect", first.cpuMicrosPerConnect()),
                Metric.higher("connects/s, JIT-warm", warm.connectsPerSecond()),
                Metric.lower("broker CPU µs/connect, JIT-warm", warm.cpuMicrosPerConnect()));
    }

    private Round connectRound(Target target, LoadContext context, ProcessProbe broker, String prefix)
            throws Exception {
        long cpu0 = broker.cpuNanos();
        long start = System.nanoTime();
        List<ClientConnection> open = context.connect(target, prefix, connections, CONCURRENCY,
                i -> new ClientConnection.Listener() { });
        return new Round(open, System.nanoTime() - start, broker.cpuNanos() - cpu0);
    }

    /** One round of CONNECTs: the connections it opened, its wall time and the broker's CPU time. */
    private record Round(List<ClientConnection> open, long nanos, long cpuNanos) {
        double connectsPerSecond() {
            return open.size() / (nanos / 1e9);
        }

        double cpuMicrosPerConnect() {
            return cpuNanos / 1e3 / open.size();
        }
    }
}
