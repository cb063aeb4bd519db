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
    /** Connected and closed before the baseline, so code paths are loaded and compiled (in both brokers). */
    private static final int WARM_UP_CONNECTIONS = 1000;

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
        long cpu0 = broker.cpuNanos();
        long start = System.nanoTime();
        List<ClientConnection> open = context.connect(target, "idle", connections, CONCURRENCY,
                i -> new ClientConnection.Listener() { });
        long connectNanos = System.nanoTime() - start;
        long cpu = broker.cpuNanos() - cpu0;
        Thread.sleep(SETTLE_MILLIS);
        long rss = broker.rssBytes();
        LoadContext.closeAll(open);
        return List.of(
                Metric.higher("connects/s", connections / (connectNanos / 1e9)),
                Metric.lower("broker RSS KiB/connection", (rss - rss0) / 1024.0 / connections),
                Metric.info("broker RSS MiB before", rss0 / 1048576.0),
                Metric.info("broker RSS MiB with all open", rss / 1048576.0),
                Metric.lower("broker CPU µs/connect", cpu / 1e3 / connections));
    }
}
