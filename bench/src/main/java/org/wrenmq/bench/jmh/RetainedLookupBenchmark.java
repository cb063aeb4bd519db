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
import org.openjdk.jmh.infra.Blackhole;
import org.wrenmq.api.QoS;
import org.wrenmq.broker.message.Publication;
import org.wrenmq.broker.routing.RetainedTree;

/**
 * What a new subscription costs in retained-message lookup when the broker holds 1,000,000 retained topics
 * {@code building/B/floor/F/room/R/temp} (100 x 100 x 100). The filters return 1, 100, 100 and 10,000 messages,
 * and none for a filter outside the tree; figures are per lookup (divide by the result size for per message).
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Fork(jvmArgsAppend = {"-Xms4g", "-Xmx4g"})
public class RetainedLookupBenchmark {
    private static final int FANOUT = 100;
    private static final int FILTERS = 1024;

    private final RetainedTree tree = new RetainedTree();
    private final String[] exact = new String[FILTERS];
    private final String[] plusRoom = new String[FILTERS];
    private final String[] hashFloor = new String[FILTERS];
    private final String[] hashBuilding = new String[FILTERS];
    private int next;

    @Setup(Level.Trial)
    public void retainAll() {
        byte[] payload = new byte[64];
        for (int b = 0; b < FANOUT; b++) {
            for (int f = 0; f < FANOUT; f++) {
                for (int r = 0; r < FANOUT; r++) {
                    tree.put(Publication.simple(topic(b, f, r), payload, QoS.AT_LEAST_ONCE, true, "sensor"));
                }
            }
        }
        if (tree.size() != (long) FANOUT * FANOUT * FANOUT) {
            throw new IllegalStateException("retained " + tree.size());
        }
        SplittableRandom random = new SplittableRandom(42);
        for (int i = 0; i < FILTERS; i++) {
            int b = random.nextInt(FANOUT);
            int f = random.nextInt(FANOUT);
            exact[i] = topic(b, f, random.nextInt(FANOUT));
            plusRoom[i] = "building/" + b + "/floor/" + f + "/room/+/temp";
            hashFloor[i] = "building/" + b + "/floor/" + f + "/#";
            hashBuilding[i] = "building/" + b + "/#";
        }
    }

    private static String topic(int building, int floor, int room) {
        return "building/" + building + "/floor/" + floor + "/room/" + room + "/temp";
    }

    @Benchmark
    public void exactTopic1(Blackhole sink) {
        tree.match(exact[next++ & (FILTERS - 1)], sink::consume);
    }

    @Benchmark
    public void plusOnRoom100(Blackhole sink) {
        tree.match(plusRoom[next++ & (FILTERS - 1)], sink::consume);
    }

    @Benchmark
    public void hashOnFloor100(Blackhole sink) {
        tree.match(hashFloor[next++ & (FILTERS - 1)], sink::consume);
    }

    @Benchmark
    public void hashOnBuilding10k(Blackhole sink) {
        tree.match(hashBuilding[next++ & (FILTERS - 1)], sink::consume);
    }

    @Benchmark
    public void filterOutsideTree(Blackhole sink) {
        tree.match("campus/7/gate/+/status", sink::consume);
    }
}
