package org.wrenmq.bench.load;

import io.netty.handler.codec.mqtt.MqttQoS;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * N publishers publish as fast as the broker takes it to M subscribers that all match every message (so each
 * publish should be delivered M times). Fan-in, fan-out and the QoS 1/2 many-to-many runs are all this shape.
 */
final class ThroughputWorkload implements Workload {
    /** The run ends when all was delivered, or after delivery has stalled this long. */
    private static final long STALL_NANOS = TimeUnit.SECONDS.toNanos(2);
    private static final int CONNECT_CONCURRENCY = 64;

    private final String key;
    private final String title;
    private final int publishers;
    private final int subscribers;
    private final MqttQoS qos;
    private final int payloadSize;
    private final int window;
    private final long maxMessagesPerPublisher;
    private final String topicPrefix;
    private final String filter;

    /**
     * @param topicPrefix publisher i publishes to {@code topicPrefix + i}
     * @param filter      the one filter every subscriber subscribes with; must match every publisher's topic
     */
    ThroughputWorkload(String key, String title, int publishers, int subscribers, MqttQoS qos, int payloadSize,
            int window, long maxMessagesPerPublisher, String topicPrefix, String filter) {
        this.key = key;
        this.title = title;
        this.publishers = publishers;
        this.subscribers = subscribers;
        this.qos = qos;
        this.payloadSize = payloadSize;
        this.window = window;
        this.maxMessagesPerPublisher = maxMessagesPerPublisher;
        this.topicPrefix = topicPrefix;
        this.filter = filter;
    }

    @Override
    public String key() {
        return key;
    }

    @Override
    public String title() {
        return title;
    }

    @Override
    public List<Metric> run(Target target, LoadContext context) throws Exception {
        DeliveryCounter counter = new DeliveryCounter();
        List<ClientConnection> subs = context.connectSubscribers(target, key + "-sub", subscribers, CONNECT_CONCURRENCY,
                i -> counter);
        CompletableFuture.allOf(subs.stream().map(s -> s.subscribe(filter, qos)).toArray(CompletableFuture[]::new))
                .get(LoadContext.PHASE_TIMEOUT_SECONDS, TimeUnit.SECONDS);
        List<Publisher> pubs = new ArrayList<>();
        for (int i = 0; i < publishers; i++) {
            pubs.add(new Publisher(topicPrefix + i, qos, payloadSize, window, maxMessagesPerPublisher));
        }
        List<ClientConnection> pubConnections = context.connect(target, key + "-pub", publishers,
                CONNECT_CONCURRENCY, pubs::get);

        ProcessProbe broker = context.probe(target);
        ProcessProbe self = context.selfProbe();
        long brokerCpu0 = broker.cpuNanos();
        long brokerJit0 = broker.compilerCpuNanos();
        long selfCpu0 = self.cpuNanos();
        long start = System.nanoTime();
        for (int i = 0; i < publishers; i++) {
            pubs.get(i).start(pubConnections.get(i), context.durationNanos());
        }
        awaitPublishers(pubs, context);
        long publishEnd = System.nanoTime();
        long published = pubs.stream().mapToLong(Publisher::sent).sum();
        long expected = published * subscribers;
        awaitDeliveries(counter, expected);
        long brokerCpu = broker.cpuNanos() - brokerCpu0;
        long brokerJit = broker.compilerCpuNanos() - brokerJit0;
        long selfCpu = self.cpuNanos() - selfCpu0;
        long delivered = counter.delivered();
        long deliveryEnd = Math.max(counter.lastDeliveryNanos(), start + 1);

        LoadContext.closeAll(pubConnections);
        LoadContext.closeAll(subs);

        double deliverySeconds = (deliveryEnd - start) / 1e9;
        List<Metric> metrics = new ArrayList<>();
        metrics.add(Metric.higher("delivered msg/s", delivered / deliverySeconds));
        metrics.add(Metric.higher("published msg/s", published / ((publishEnd - start) / 1e9)));
        metrics.add(Metric.higher("delivered/expected %", expected == 0 ? 0 : 100.0 * delivered / expected));
        if (qos == MqttQoS.EXACTLY_ONCE) {
            metrics.add(Metric.lower("duplicates", counter.duplicates()));
        }
        metrics.add(Metric.lower("broker CPU µs/delivered msg", delivered == 0 ? 0 : brokerCpu / 1e3 / delivered));
        metrics.add(Metric.lower("broker CPU µs/published msg", published == 0 ? 0 : brokerCpu / 1e3 / published));
        metrics.add(Metric.info("broker CPU cores busy", brokerCpu / 1e9 / deliverySeconds));
        metrics.add(Metric.info("broker CPU in JIT compiler %", brokerCpu == 0 ? 0 : 100.0 * brokerJit / brokerCpu));
        metrics.add(Metric.info("load generator CPU cores busy", selfCpu / 1e9 / deliverySeconds));
        return metrics;
    }

    private static void awaitPublishers(List<Publisher> pubs, LoadContext context) throws Exception {
        long timeoutNanos = context.durationNanos() + TimeUnit.SECONDS.toNanos(LoadContext.PHASE_TIMEOUT_SECONDS);
        try {
            CompletableFuture.allOf(pubs.stream().map(Publisher::done).toArray(CompletableFuture[]::new))
                    .get(timeoutNanos, TimeUnit.NANOSECONDS);
        } catch (java.util.concurrent.TimeoutException e) {
            // a broker that stopped acknowledging: report what was delivered so far rather than nothing
            System.err.println("  publishers still had unacknowledged messages at the time limit");
        }
    }

    private static void awaitDeliveries(DeliveryCounter counter, long expected) throws InterruptedException {
        long lastCount = -1;
        long lastProgress = System.nanoTime();
        long giveUp = lastProgress + TimeUnit.SECONDS.toNanos(LoadContext.PHASE_TIMEOUT_SECONDS);
        while (System.nanoTime() < giveUp) {
            long count = counter.delivered();
            if (count >= expected) {
                return;
            }
            long now = System.nanoTime();
            if (count != lastCount) {
                lastCount = count;
                lastProgress = now;
            } else if (now - lastProgress > STALL_NANOS) {
                return;
            }
            Thread.sleep(20);
        }
    }
}
