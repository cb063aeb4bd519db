package org.wrenmq.bench.jmh;

import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.infra.Blackhole;
import org.wrenmq.api.QoS;
import org.wrenmq.broker.routing.SharedGroup;
import org.wrenmq.broker.routing.Subscription;
import org.wrenmq.broker.routing.SubscriptionTree;
import org.wrenmq.broker.session.Session;

/**
 * Matching one published topic against 100,000 subscriptions, shaped like an IoT deployment: every device
 * subscribes to its own command topic, per-tenant services subscribe with '+', dashboards with '#'.
 * <ul>
 *   <li>{@code tenant/T/device/D/cmd}: 95,000 exact filters, one session each (T = D mod 100);</li>
 *   <li>{@code tenant/T/device/+/telemetry}: 4,900 subscriptions, 49 sessions per tenant;</li>
 *   <li>{@code tenant/T/#}: 100 subscriptions, one per tenant.</li>
 * </ul>
 * A telemetry topic matches 50 subscriptions, a command topic 2, a foreign topic none. Topics are drawn from
 * a precomputed random sequence so the walk does not stay on one hot branch.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Fork(jvmArgsAppend = {"-Xms2g", "-Xmx2g"})
public class SubscriptionMatchBenchmark {
    private static final int TENANTS = 100;
    private static final int DEVICES = 95_000;
    private static final int SERVICES_PER_TENANT = 49;
    private static final int TOPICS = 4096;

    private final SubscriptionTree tree = new SubscriptionTree();
    private RunningBroker broker;
    private final String[] telemetryTopics = new String[TOPICS];
    private final String[] commandTopics = new String[TOPICS];
    private final String[] unmatchedTopics = new String[TOPICS];
    private int next;

    @Setup(Level.Trial)
    public void subscribeAll() {
        broker = new RunningBroker();
        for (int d = 0; d < DEVICES; d++) {
            tree.add(Subscription.of(session("device-" + d), "tenant/" + d % TENANTS + "/device/" + d + "/cmd",
                    QoS.AT_LEAST_ONCE));
        }
        for (int t = 0; t < TENANTS; t++) {
            for (int s = 0; s < SERVICES_PER_TENANT; s++) {
                tree.add(Subscription.of(session("service-" + t + "-" + s), "tenant/" + t + "/device/+/telemetry",
                        QoS.AT_LEAST_ONCE));
            }
            tree.add(Subscription.of(session("dashboard-" + t), "tenant/" + t + "/#", QoS.AT_MOST_ONCE));
        }
        SplittableRandom random = new SplittableRandom(42);
        for (int i = 0; i < TOPICS; i++) {
            int d = random.nextInt(DEVICES);
            telemetryTopics[i] = "tenant/" + d % TENANTS + "/device/" + d + "/telemetry";
            commandTopics[i] = "tenant/" + d % TENANTS + "/device/" + d + "/cmd";
            unmatchedTopics[i] = "plant/" + d % TENANTS + "/line/" + d + "/status";
        }
    }

    private Session session(String clientId) {
        return broker.session(clientId);
    }

    @TearDown(Level.Trial)
    public void stopBroker() {
        broker.close();
    }

    @Benchmark
    public void telemetryMatches50(Blackhole sink) {
        tree.match(telemetryTopics[next++ & (TOPICS - 1)], new Collector(sink));
    }

    @Benchmark
    public void commandMatches2(Blackhole sink) {
        tree.match(commandTopics[next++ & (TOPICS - 1)], new Collector(sink));
    }

    @Benchmark
    public void unmatchedTopic(Blackhole sink) {
        tree.match(unmatchedTopics[next++ & (TOPICS - 1)], new Collector(sink));
    }

    /** Allocated per match as the broker's publish path does (UnrelatedFiltersBenchmark matches with it too). */
    record Collector(Blackhole sink) implements SubscriptionTree.Visitor {
        @Override
        public void subscription(Subscription s) {
            sink.consume(s);
        }

        @Override
        public void sharedGroup(SharedGroup group) {
            sink.consume(group);
        }
    }
}
