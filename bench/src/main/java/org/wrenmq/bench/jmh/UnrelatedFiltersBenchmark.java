package org.wrenmq.bench.jmh;

import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.infra.Blackhole;
import org.wrenmq.api.MqttMessage;
import org.wrenmq.api.QoS;
import org.wrenmq.broker.Broker;
import org.wrenmq.broker.LocalSession;
import org.wrenmq.broker.routing.Subscription;
import org.wrenmq.broker.routing.SubscriptionTree;

/**
 * Issue 22: the cost of a publish to one topic must not grow with subscriptions that do not match it. One
 * subscriber on {@code route/one}; another client holds {@code unrelated} filters (0, 1,000 or 100,000) in one
 * of three shapes:
 * <ul>
 *   <li>{@code elsewhere}: {@code f/I/x}, under another first level;</li>
 *   <li>{@code siblings}: {@code route/I}, beside {@code route/one} (its parent node has that many children);</li>
 *   <li>{@code plus}: {@code +/I}, a wildcard branch every publish must walk into.</li>
 * </ul>
 * {@code publishAndDeliver} publishes a QoS 0 message through the broker's in-VM API and waits until the
 * subscriber's session has it (router, session, hand-over to its event loop); {@code match} times the
 * subscription trie's lookup alone, with the same filters.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Fork(jvmArgsAppend = {"-Xms1g", "-Xmx1g"})
public class UnrelatedFiltersBenchmark {
    private static final String TOPIC = "route/one";
    private static final Duration SETUP_LIMIT = Duration.ofMinutes(2);

    @Param({"0", "1000", "100000"})
    public int unrelated;

    @Param({"elsewhere", "siblings", "plus"})
    public String shape;

    private RunningBroker running;
    private final AtomicLong delivered = new AtomicLong();
    private final SubscriptionTree tree = new SubscriptionTree();
    private MqttMessage message;

    @Setup(Level.Trial)
    public void subscribe() throws InterruptedException {
        running = new RunningBroker();
        Broker broker = running.broker();
        broker.openLocalSession("route-sub", true, 10, (m, ack) -> delivered.incrementAndGet())
                .subscribe(TOPIC, QoS.AT_MOST_ONCE);
        AtomicLong probes = new AtomicLong();
        LocalSession other = broker.openLocalSession("route-unrelated", true, 10, (m, ack) -> probes.incrementAndGet());
        tree.add(Subscription.of(running.session("route-sub"), TOPIC, QoS.AT_MOST_ONCE));
        var owner = running.session("route-unrelated");
        for (int i = 0; i < unrelated; i++) {
            String filter = filter(i);
            other.subscribe(filter, QoS.AT_MOST_ONCE);
            tree.add(Subscription.of(owner, filter, QoS.AT_MOST_ONCE));
        }
        message = MqttMessage.builder(TOPIC).payload(new byte[64]).qos(QoS.AT_MOST_ONCE).build();
        // subscriptions settle on the sessions' event loops: wait until both clients receive
        awaitAtLeast(delivered, 1, () -> broker.publish(message));
        if (unrelated > 0) {
            String last = filter(unrelated - 1).replace('+', 'q');
            awaitAtLeast(probes, 1, () -> broker.publish(MqttMessage.builder(last).payload(new byte[1]).build()));
        }
    }

    private String filter(int i) {
        return switch (shape) {
            case "elsewhere" -> "f/" + i + "/x";
            case "siblings" -> "route/" + i;
            case "plus" -> "+/" + i;
            default -> throw new IllegalArgumentException("unknown shape " + shape);
        };
    }

    private static void awaitAtLeast(AtomicLong counter, long n, Runnable publish) throws InterruptedException {
        long end = System.nanoTime() + SETUP_LIMIT.toNanos();
        while (counter.get() < n) {
            if (System.nanoTime() > end) {
                throw new IllegalStateException("the broker did not deliver within " + SETUP_LIMIT);
            }
            publish.run();
            Thread.sleep(10);
        }
    }

    @TearDown(Level.Trial)
    public void stop() {
        running.close();
    }

    @Benchmark
    public long publishAndDeliver() {
        long target = delivered.get() + 1;
        running.broker().publish(message);
        while (delivered.get() < target) {
            Thread.onSpinWait();
        }
        return target;
    }

    @Benchmark
    public void match(Blackhole sink) {
        tree.match(TOPIC, new SubscriptionMatchBenchmark.Collector(sink));
    }
}
