package org.wrenmq.broker.standalone;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.lang.management.CompilationMXBean;
import java.lang.management.ManagementFactory;
import java.net.InetSocketAddress;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.wrenmq.broker.Broker;
import org.wrenmq.broker.BrokerConfig;

/**
 * Sends device-like traffic (QoS 0 fan-in and fan-out, QoS 1, QoS 2; one packet per write, a window of 10 as
 * Paho) through a private broker on a loopback port before the real one starts, so that the JIT compiler has
 * compiled the publish path before the first device connects: a JVM just started interprets it and spends about
 * a second and a half of CPU compiling it while serving the first clients (docs/performance.md).
 *
 * <p>The private broker shares nothing with the real one but the compiled code: its own sessions, counters and
 * no store, closed before the real broker binds its ports. Rounds run until a round's JIT compiler time falls
 * under a tenth of the round, or the time budget (system property {@value #PROPERTY}, seconds; 0 or unset: no
 * warm-up) is spent.
 */
final class StartupWarmUp {
    static final String PROPERTY = "wrenmq.warmup";
    private static final int MESSAGES_PER_PUBLISHER = 2_000;
    private static final int WINDOW = 10;
    private static final int MIN_ROUNDS = 2;
    private static final byte[] PAYLOAD = new byte[256];
    /** A subscriber stops this long after the last packet once its publishers are done, if some never came. */
    private static final int QUIET_MS = 200;

    private record Scenario(String name, int publishers, int subscribers, int qos, boolean exactTopics) {
    }

    private static final List<Scenario> SCENARIOS = List.of(
            new Scenario("in", 4, 1, 0, false),
            new Scenario("out", 1, 8, 0, false),
            new Scenario("q1", 4, 4, 1, true),
            new Scenario("q2", 4, 1, 2, false));

    private final BrokerConfig config;
    private final long budgetNanos;
    private long messages;

    private StartupWarmUp(BrokerConfig config, long budgetNanos) {
        this.config = config;
        this.budgetNanos = budgetNanos;
    }

    /** Runs the warm-up when {@value #PROPERTY} asks for it; a failed warm-up is logged and the start goes on. */
    static void runIfAsked(BrokerConfig config, Logger log) {
        String seconds = System.getProperty(PROPERTY, "0");
        double budget;
        try {
            budget = Double.parseDouble(seconds);
        } catch (NumberFormatException e) {
            log.warn("{}={}: not a number of seconds, no warm-up", PROPERTY, seconds);
            return;
        }
        if (budget <= 0) {
            return;
        }
        new StartupWarmUp(config, (long) (budget * 1e9)).run(log);
    }

    private void run(Logger log) {
        CompilationMXBean jit = ManagementFactory.getCompilationMXBean();
        boolean jitTimed = jit != null && jit.isCompilationTimeMonitoringSupported();
        long start = System.nanoTime();
        long cpuStart = processCpuNanos();
        long jitStart = jitTimed ? jit.getTotalCompilationTime() : 0;
        // The private broker logs as any broker does, "WrenMQ listening on" included, which launchers and tests
        // take for the real broker's start: its lines (slf4j-simple writes to System.err) are kept back and shown
        // only when the warm-up fails.
        PrintStream err = System.err;
        ByteArrayOutputStream kept = new ByteArrayOutputStream();
        int rounds = 0;
        String failure = null;
        System.setErr(new PrintStream(kept, true, StandardCharsets.UTF_8));
        try (Broker broker = privateBroker()) {
            InetSocketAddress address = broker.boundAddresses().get(0);
            boolean quiet = false;
            while (!quiet && System.nanoTime() - start < budgetNanos) {
                long roundStart = System.nanoTime();
                long jitBefore = jitTimed ? jit.getTotalCompilationTime() : 0;
                for (Scenario s : SCENARIOS) {
                    run(s, address, rounds);
                }
                rounds++;
                long roundMillis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - roundStart);
                quiet = rounds >= MIN_ROUNDS
                        && (!jitTimed || (jit.getTotalCompilationTime() - jitBefore) * 10 < roundMillis);
            }
        } catch (Exception e) {
            failure = e.toString();
        } finally {
            System.setErr(err);
        }
        long millis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
        long cpuMillis = TimeUnit.NANOSECONDS.toMillis(processCpuNanos() - cpuStart);
        if (failure != null) {
            err.print(kept.toString(StandardCharsets.UTF_8));
            log.warn("warm-up stopped after {} ms: {}; the broker starts without it", millis, failure);
            return;
        }
        log.info("warm-up: {} messages in {} rounds through a private broker, {} ms, {} ms of CPU ({} ms in the JIT "
                + "compiler); {}=0 starts without", messages, rounds, millis, cpuMillis,
                jitTimed ? jit.getTotalCompilationTime() - jitStart : -1, PROPERTY);
    }

    /** Anonymous, no store, no $SYS, no JMX, on a free loopback port; as many event loops as the real one. */
    private Broker privateBroker() {
        return Broker.builder()
                .listener(0, "127.0.0.1")
                .set("allow_anonymous", "true")
                .set("persistence", "false")
                .set("sys_interval", "0")
                .set("jmx_registration", "false")
                .set("io_threads", Integer.toString(config.ioThreads()))
                .build().start();
    }

    private void run(Scenario s, InetSocketAddress address, int round) throws Exception {
        ExecutorService threads = Executors.newFixedThreadPool(s.publishers() + s.subscribers());
        AtomicBoolean published = new AtomicBoolean();
        try {
            List<Future<?>> subscribers = new ArrayList<>();
            List<WarmUpClient> subscriberClients = new ArrayList<>();
            for (int i = 0; i < s.subscribers(); i++) {
                WarmUpClient c = new WarmUpClient(address, "warmup-" + s.name() + "-s" + i + "-" + round);
                c.subscribe(s.exactTopics() ? topic(s, i) : "warmup/" + s.name() + "/+", s.qos());
                subscriberClients.add(c);
            }
            long expected = s.exactTopics() ? MESSAGES_PER_PUBLISHER : (long) s.publishers() * MESSAGES_PER_PUBLISHER;
            for (WarmUpClient c : subscriberClients) {
                subscribers.add(threads.submit(() -> receive(c, expected, published)));
            }
            List<Future<?>> publishers = new ArrayList<>();
            for (int i = 0; i < s.publishers(); i++) {
                String clientId = "warmup-" + s.name() + "-p" + i + "-" + round;
                byte[] topic = topic(s, i).getBytes(StandardCharsets.UTF_8);
                publishers.add(threads.submit((Callable<Void>) () -> {
                    publish(address, clientId, topic, s.qos());
                    return null;
                }));
            }
            awaitAll(publishers);
            published.set(true);
            awaitAll(subscribers);
            messages += (long) s.publishers() * MESSAGES_PER_PUBLISHER;
        } finally {
            threads.shutdownNow();
        }
    }

    private static String topic(Scenario s, int publisher) {
        return "warmup/" + s.name() + "/" + (s.exactTopics() || s.publishers() > 1 ? "t" + publisher : "t");
    }

    private static void publish(InetSocketAddress address, String clientId, byte[] topic, int qos)
            throws IOException {
        try (WarmUpClient c = new WarmUpClient(address, clientId)) {
            int inflight = 0;
            for (int i = 0; i < MESSAGES_PER_PUBLISHER; i++) {
                c.publish(topic, qos, i % 65_535 + 1, PAYLOAD);
                if (qos > 0 && ++inflight == WINDOW) {
                    inflight -= awaitCompletion(c);
                }
            }
            while (inflight > 0) {
                inflight -= awaitCompletion(c);
            }
        }
    }

    /** Reads until one publish is complete: PUBACK, or PUBREC answered with PUBREL, then PUBCOMP. */
    private static int awaitCompletion(WarmUpClient c) throws IOException {
        while (true) {
            c.read();
            switch (c.type()) {
                case WarmUpClient.PUBACK, WarmUpClient.PUBCOMP -> {
                    return 1;
                }
                case WarmUpClient.PUBREC -> c.acknowledge(WarmUpClient.PUBREL, c.packetId());
                default -> throw new IOException("unexpected packet type " + c.type() + " for a publisher");
            }
        }
    }

    /** Until every message arrived, or (QoS 0 may be dropped) the publishers are done and nothing came for a while. */
    private static Void receive(WarmUpClient c, long expected, AtomicBoolean published) throws IOException {
        try (c) {
            c.soTimeout(QUIET_MS);
            long received = 0;
            while (received < expected) {
                try {
                    c.read();
                } catch (SocketTimeoutException e) {
                    if (published.get()) {
                        return null;
                    }
                    continue;
                }
                if (c.type() == WarmUpClient.PUBLISH) {
                    received++;
                }
                if (c.type() == WarmUpClient.PUBLISH && c.qos() == 1) {
                    c.acknowledge(WarmUpClient.PUBACK, c.packetId());
                } else if (c.type() == WarmUpClient.PUBLISH && c.qos() == 2) {
                    c.acknowledge(WarmUpClient.PUBREC, c.packetId());
                } else if (c.type() == WarmUpClient.PUBREL) {
                    c.acknowledge(WarmUpClient.PUBCOMP, c.packetId());
                }
            }
            return null;
        }
    }

    private static void awaitAll(List<Future<?>> futures) throws Exception {
        for (Future<?> f : futures) {
            try {
                f.get(30, TimeUnit.SECONDS);
            } catch (ExecutionException e) {
                throw e.getCause() instanceof Exception cause ? cause : e;
            }
        }
    }

    private static long processCpuNanos() {
        return ProcessHandle.current().info().totalCpuDuration().map(java.time.Duration::toNanos).orElse(0L);
    }
}
