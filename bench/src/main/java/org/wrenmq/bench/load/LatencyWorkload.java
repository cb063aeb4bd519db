package org.wrenmq.bench.load;

import io.netty.handler.codec.mqtt.MqttQoS;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** One publisher at a fixed rate to one subscriber; end-to-end latency percentiles after a warm-up second. */
final class LatencyWorkload implements Workload {
    private static final long WARM_UP_SECONDS = 1;

    private final MqttQoS qos;
    private final int messagesPerSecond;
    private final int payloadSize;

    LatencyWorkload(MqttQoS qos, int messagesPerSecond, int payloadSize) {
        this.qos = qos;
        this.messagesPerSecond = messagesPerSecond;
        this.payloadSize = payloadSize;
    }

    @Override
    public String key() {
        return "latency";
    }

    @Override
    public String title() {
        return "QoS " + qos.value() + " latency at " + String.format("%,d", messagesPerSecond) + " msg/s, 1→1";
    }

    @Override
    public List<Metric> run(Target target, LoadContext context) throws Exception {
        long measuredSeconds = Math.max(1, TimeUnit.NANOSECONDS.toSeconds(context.durationNanos()));
        long total = (WARM_UP_SECONDS + measuredSeconds) * messagesPerSecond;
        LatencyRecorder recorder = new LatencyRecorder((int) total);
        ClientConnection sub = context.connectSubscribers(target, "lat-sub", 1, 1, i -> recorder).get(0);
        sub.subscribe("bench/latency/#", qos).get(LoadContext.PHASE_TIMEOUT_SECONDS, TimeUnit.SECONDS);
        PacedPublisher publisher = new PacedPublisher("bench/latency/0", qos, payloadSize, messagesPerSecond, total);
        ClientConnection pub = context.connect(target, "lat-pub", 1, 1, i -> publisher).get(0);

        ProcessProbe broker = context.probe(target);
        long cpu0 = broker.cpuNanos();
        long jit0 = broker.compilerCpuNanos();
        long start = publisher.start(pub);
        recorder.measureFrom(start + TimeUnit.SECONDS.toNanos(WARM_UP_SECONDS));
        try {
            publisher.done().get(WARM_UP_SECONDS + measuredSeconds + LoadContext.PHASE_TIMEOUT_SECONDS,
                    TimeUnit.SECONDS);
        } catch (java.util.concurrent.TimeoutException e) {
            System.err.println("  latency publisher still had unacknowledged messages at the time limit");
        }
        awaitLastDelivery(recorder, publisher.sent());
        long elapsed = System.nanoTime() - start;
        long brokerCpu = broker.cpuNanos() - cpu0;
        long brokerJit = broker.compilerCpuNanos() - jit0;
        LoadContext.closeAll(List.of(pub, sub));

        long[] sorted = recorder.sorted();
        long received = recorder.received();
        List<Metric> metrics = new ArrayList<>();
        metrics.add(Metric.lower("p50 µs", LatencyRecorder.percentile(sorted, 50) / 1e3));
        metrics.add(Metric.lower("p99 µs", LatencyRecorder.percentile(sorted, 99) / 1e3));
        metrics.add(Metric.lower("p99.9 µs", LatencyRecorder.percentile(sorted, 99.9) / 1e3));
        metrics.add(Metric.lower("max µs", sorted.length == 0 ? Double.NaN : sorted[sorted.length - 1] / 1e3));
        long[] late = publisher.sortedLateness(start + TimeUnit.SECONDS.toNanos(WARM_UP_SECONDS));
        metrics.add(Metric.info("load generator late p50 µs", LatencyRecorder.percentile(late, 50) / 1e3));
        metrics.add(Metric.info("load generator late p99 µs", LatencyRecorder.percentile(late, 99) / 1e3));
        metrics.add(Metric.higher("delivered/published %", 100.0 * received / Math.max(1, publisher.sent())));
        metrics.add(Metric.lower("broker CPU µs/delivered msg", received == 0 ? 0 : brokerCpu / 1e3 / received));
        metrics.add(Metric.info("broker CPU cores busy", brokerCpu / (double) elapsed));
        metrics.add(Metric.info("broker CPU in JIT compiler %", brokerCpu == 0 ? 0 : 100.0 * brokerJit / brokerCpu));
        return metrics;
    }

    private static void awaitLastDelivery(LatencyRecorder recorder, long expected) throws InterruptedException {
        long giveUp = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
        while (recorder.received() < expected && System.nanoTime() < giveUp) {
            Thread.sleep(10);
        }
    }
}
