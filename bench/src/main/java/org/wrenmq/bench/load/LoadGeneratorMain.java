package org.wrenmq.bench.load;

import io.netty.handler.codec.mqtt.MqttQoS;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.io.File;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Runs every workload against every broker in the same run (workload by workload, so both see the same machine
 * state) and prints the figures side by side. Started by bench/run.sh, which starts the brokers:
 * <pre>
 *   LoadGeneratorMain --target wrenmq=PORT:PID --target mosquitto=PORT:PID [--seconds 5] [--connections 10000]
 *                     [--only fanin,fanout,qos1,latency,idle,qos2] [--repeat 1] [--markdown FILE]
 *                     [--clock-ticks 100] [--clients batched|device] [--cold-warm] [--messages N]
 *                     [--cafile CA.crt]
 * With --cafile every connection is TLS, trusting that CA (bench/run.sh --tls).
 * </pre>
 * {@code --messages N} stops each publisher of the throughput workloads after N messages (a fixed amount of work,
 * e.g. to compare what the first 100,000 messages after a start cost).
 * {@code --clients device} connects device-like clients (one packet per write, Paho's window; see
 * {@link ClientConnection}). {@code --cold-warm} runs each workload three times per broker, expecting brokers
 * started just before (run.sh starts them afresh for each workload): the first run is reported as cold, the
 * second is a warm-up, the third is reported as warm.
 */
public final class LoadGeneratorMain {
    private static final int PAYLOAD_BYTES = 256;
    /** QoS 1/2 publishes a publisher keeps unacknowledged: mosquitto's default max_inflight_messages. */
    private static final int PUBLISH_WINDOW = 20;
    /** Every publisher stops at this many messages even if the time is not up (unless --messages says otherwise). */
    private static final long MAX_MESSAGES_PER_PUBLISHER = 5_000_000;
    private static final long WARM_UP_SECONDS = 2;
    /**
     * The one-message-at-a-time path gets fewer calls per second than a flood, so it is warmed longer: with 2 s
     * a JVM broker was still compiling it during the measured latency run (its compiler threads busy in bursts).
     */
    private static final long FIXED_RATE_WARM_UP_SECONDS = 15;

    private LoadGeneratorMain() {
    }

    public static void main(String[] args) throws Exception {
        List<Target> targets = new ArrayList<>();
        long seconds = 5;
        int connections = 10_000;
        List<String> only = List.of();
        Path markdown = null;
        long clockTicks = 100;
        int repeat = 1;
        boolean deviceLike = false;
        boolean coldWarm = false;
        long messagesPerPublisher = MAX_MESSAGES_PER_PUBLISHER;
        SslContext tls = null;
        for (int i = 0; i < args.length; i++) {
            String value = i + 1 < args.length ? args[i + 1] : "";
            switch (args[i]) {
                case "--target" -> targets.add(Target.parse(value));
                case "--seconds" -> seconds = Long.parseLong(value);
                case "--connections" -> connections = Integer.parseInt(value);
                case "--only" -> only = Arrays.asList(value.split(","));
                case "--markdown" -> markdown = Path.of(value);
                case "--clock-ticks" -> clockTicks = Long.parseLong(value);
                case "--repeat" -> repeat = Integer.parseInt(value);
                case "--messages" -> messagesPerPublisher = Long.parseLong(value);
                case "--clients" -> deviceLike = switch (value) {
                    case "device" -> true;
                    case "batched" -> false;
                    default -> throw new IllegalArgumentException("--clients takes batched or device");
                };
                case "--cold-warm" -> {
                    coldWarm = true;
                    i--; // a flag: no value to skip
                }
                // no peer host is given (so no session is resumed): the CA is checked, the host name cannot be
                case "--cafile" -> tls = SslContextBuilder.forClient().trustManager(new File(value))
                        .endpointIdentificationAlgorithm(null).build();
                default -> throw new IllegalArgumentException("unknown option " + args[i]);
            }
            i++;
        }
        if (targets.isEmpty()) {
            throw new IllegalArgumentException("give at least one --target NAME=PORT:PID");
        }
        List<Workload> workloads = selected(workloads(connections, messagesPerPublisher), only);
        try (ClientFactory clients = new ClientFactory(tls)) {
            LoadContext context = new LoadContext(clients, clockTicks, TimeUnit.SECONDS.toNanos(seconds),
                    deviceLike);
            ResultTable table = new ResultTable(targets.stream().map(Target::name).toList());
            if (coldWarm) {
                runColdWarm(workloads, targets, context, table, deviceLike ? "device-like" : "batched");
                print(table, markdown);
                return;
            }
            workloads.forEach(w -> table.reserve(w.title()));
            // the brokers are fresh only until the first load: memory-sensitive workloads go first
            runAll(workloads.stream().filter(Workload::needsFreshBroker).toList(), targets, context, table, 1);
            List<Workload> rest = workloads.stream().filter(w -> !w.needsFreshBroker()).toList();
            if (!rest.isEmpty()) {
                warmUp(targets, clients, clockTicks);
                runAll(rest, targets, context, table, repeat);
            }
            print(table, markdown);
        }
    }

    private static void print(ResultTable table, Path markdown) throws IOException {
        String text = table.markdown();
        System.out.println();
        System.out.print(text);
        if (markdown != null) {
            write(markdown, text);
        }
    }

    /**
     * Each workload on brokers that have served nothing yet: the first run is the cold row (what a device meets
     * after a broker restart: class loading, interpreted and then JIT-compiled code), then one unmeasured run, and
     * the third is the warm row.
     */
    private static void runColdWarm(List<Workload> workloads, List<Target> targets, LoadContext context,
            ResultTable table, String clients) {
        for (Workload workload : workloads) {
            String cold = workload.title() + " · " + clients + ", cold";
            String warm = workload.title() + " · " + clients + ", warm";
            table.reserve(cold);
            table.reserve(warm);
            for (Target target : targets) {
                System.err.printf("%s: %s ...%n", target.name(), cold);
                runInto(table, cold, workload, target, context);
            }
            for (Target target : targets) {
                System.err.printf("%s: %s (warm-up, not measured) ...%n", target.name(), workload.title());
                runInto(null, null, workload, target, context);
            }
            for (Target target : targets) {
                System.err.printf("%s: %s ...%n", target.name(), warm);
                runInto(table, warm, workload, target, context);
            }
        }
    }

    /** Runs once; adds the figures under {@code title} unless {@code table} is null. */
    private static void runInto(ResultTable table, String title, Workload workload, Target target,
            LoadContext context) {
        try {
            List<Metric> metrics = workload.run(target, context);
            if (table != null) {
                table.add(title, target.name(), metrics);
            }
        } catch (Exception e) {
            if (table != null) {
                table.failed(title, target.name(), e);
            } else {
                System.err.printf("  warm-up of %s against %s failed: %s%n", workload.title(), target.name(), e);
            }
        }
    }

    /**
     * Workload by workload, each against every broker in turn (and the repeats interleaved the same way), so
     * both brokers see the same machine state.
     */
    private static void runAll(List<Workload> workloads, List<Target> targets, LoadContext context,
            ResultTable table, int repeat) {
        for (Workload workload : workloads) {
            for (int run = 1; run <= repeat; run++) {
                for (Target target : targets) {
                    System.err.printf("%s: %s (run %d of %d) ...%n", target.name(), workload.title(), run, repeat);
                    try {
                        table.add(workload.title(), target.name(), workload.run(target, context));
                    } catch (Exception e) {
                        table.failed(workload.title(), target.name(), e);
                    }
                }
            }
        }
    }

    static List<Workload> workloads(int connections, long messagesPerPublisher) {
        return List.of(
                new ThroughputWorkload("fanin", "QoS 0 fan-in 8→1", 8, 1, MqttQoS.AT_MOST_ONCE, PAYLOAD_BYTES,
                        PUBLISH_WINDOW, messagesPerPublisher, "bench/fanin/", "bench/fanin/+"),
                new ThroughputWorkload("fanout", "QoS 0 fan-out 1→64 (wildcard)", 1, 64, MqttQoS.AT_MOST_ONCE,
                        PAYLOAD_BYTES, PUBLISH_WINDOW, messagesPerPublisher, "bench/fanout/sensor/",
                        "bench/fanout/#"),
                new ThroughputWorkload("qos1", "QoS 1 8→8", 8, 8, MqttQoS.AT_LEAST_ONCE, PAYLOAD_BYTES,
                        PUBLISH_WINDOW, messagesPerPublisher, "bench/qos1/", "bench/qos1/+"),
                new LatencyWorkload(MqttQoS.AT_LEAST_ONCE, 5_000, PAYLOAD_BYTES),
                new IdleConnectionsWorkload(connections),
                new ThroughputWorkload("qos2", "QoS 2 fan-in 8→1", 8, 1, MqttQoS.EXACTLY_ONCE, PAYLOAD_BYTES,
                        PUBLISH_WINDOW, messagesPerPublisher, "bench/qos2/", "bench/qos2/+"));
    }

    private static List<Workload> selected(List<Workload> all, List<String> only) {
        if (only.isEmpty()) {
            return all;
        }
        List<Workload> chosen = all.stream().filter(w -> only.contains(w.key())).toList();
        if (chosen.size() != only.size()) {
            throw new IllegalArgumentException("--only takes " + all.stream().map(Workload::key).toList());
        }
        return chosen;
    }

    /** A JIT-compiled broker and a cold one are not the same race: every broker gets the same unmeasured run. */
    private static void warmUp(List<Target> targets, ClientFactory clients, long clockTicks) throws Exception {
        LoadContext warmUp = new LoadContext(clients, clockTicks, TimeUnit.SECONDS.toNanos(WARM_UP_SECONDS), false);
        List<Workload> warmUpLoad = List.of(
                new ThroughputWorkload("warmup0", "warm-up QoS 0", 4, 4, MqttQoS.AT_MOST_ONCE, PAYLOAD_BYTES,
                        PUBLISH_WINDOW, MAX_MESSAGES_PER_PUBLISHER, "bench/warmup/", "bench/warmup/#"),
                new ThroughputWorkload("warmup1", "warm-up QoS 1", 4, 4, MqttQoS.AT_LEAST_ONCE, PAYLOAD_BYTES,
                        PUBLISH_WINDOW, MAX_MESSAGES_PER_PUBLISHER, "bench/warmup/", "bench/warmup/#"),
                new ThroughputWorkload("warmup2", "warm-up QoS 2", 4, 4, MqttQoS.EXACTLY_ONCE, PAYLOAD_BYTES,
                        PUBLISH_WINDOW, MAX_MESSAGES_PER_PUBLISHER, "bench/warmup/", "bench/warmup/#"));
        // one message at a time takes other paths (a flush per message, idle loops woken) than a flood
        Workload fixedRate = new LatencyWorkload(MqttQoS.AT_LEAST_ONCE, 5_000, PAYLOAD_BYTES);
        LoadContext fixedRateWarmUp = new LoadContext(clients, clockTicks,
                TimeUnit.SECONDS.toNanos(FIXED_RATE_WARM_UP_SECONDS), false);
        for (Target target : targets) {
            System.err.printf("%s: warm-up (%d s per QoS, %d s at a fixed rate, not measured) ...%n", target.name(),
                    WARM_UP_SECONDS, FIXED_RATE_WARM_UP_SECONDS);
            for (Workload workload : warmUpLoad) {
                workload.run(target, warmUp);
            }
            fixedRate.run(target, fixedRateWarmUp);
        }
    }

    private static void write(Path file, String text) throws IOException {
        Path parent = file.toAbsolutePath().getParent();
        if (parent != null) {
            Files.createDirectories(parent);
        }
        Files.writeString(file, text);
    }
}
