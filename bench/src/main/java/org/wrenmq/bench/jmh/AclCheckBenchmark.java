package org.wrenmq.bench.jmh;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
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
import org.wrenmq.broker.auth.Authorizer;
import org.wrenmq.broker.auth.ClientAccess;
import org.wrenmq.broker.metrics.BrokerMetrics;

/**
 * The acl_file check on the delivery path, with an acl_file of 10,000 users (three lines each: their device
 * subtree, their tenant's broadcast topic, a denied secret) and two patterns ({@code %c}, {@code %u}).
 * <ul>
 *   <li>{@code readCachedTopic}: a subscriber asked again about one of a few topics, as in steady traffic;</li>
 *   <li>{@code readNewTopics}: every check a topic the client's cache has not seen (4,096 rotating topics against a
 *       cache of 1,024): the rules themselves are walked;</li>
 *   <li>{@code connectAndFirstCheck}: what a CONNECT adds: the client's rules compiled (patterns substituted) and
 *       one check.</li>
 * </ul>
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Fork(jvmArgsAppend = {"-Xms1g", "-Xmx1g"})
public class AclCheckBenchmark {
    private static final int USERS = 10_000;
    private static final int TENANTS = 100;
    private static final int TOPICS = 4096;

    private Path file;
    private Authorizer authorizer;
    private ClientAccess steady;
    private ClientAccess roaming;
    private final String[] fewTopics = new String[8];
    private final String[] manyTopics = new String[TOPICS];
    private int next;
    private int nextUser;

    @Setup(Level.Trial)
    public void writeAndLoadAclFile() throws IOException {
        StringBuilder acl = new StringBuilder("topic read public/#\n");
        for (int u = 0; u < USERS; u++) {
            int t = u % TENANTS;
            acl.append("user user-").append(u).append('\n')
                    .append("topic readwrite tenant/").append(t).append("/device/").append(u).append("/#\n")
                    .append("topic read tenant/").append(t).append("/broadcast\n")
                    .append("topic deny tenant/").append(t).append("/device/").append(u).append("/secret\n");
        }
        acl.append("pattern write clients/%c/status\npattern read inbox/%u/#\n");
        file = Files.createTempFile("wrenmq-bench", ".acl");
        Files.writeString(file, acl);
        authorizer = Authorizer.load(file, new BrokerMetrics());
        int u = 4242;
        steady = authorizer.access("client-" + u, "user-" + u);
        roaming = authorizer.access("client-7", "user-7");
        for (int i = 0; i < fewTopics.length; i++) {
            fewTopics[i] = "tenant/" + u % TENANTS + "/device/" + u + "/sensor-" + i;
        }
        SplittableRandom random = new SplittableRandom(42);
        for (int i = 0; i < TOPICS; i++) {
            manyTopics[i] = random.nextBoolean() ? "tenant/7/device/7/sensor-" + i : "inbox/user-7/" + i;
        }
    }

    @TearDown(Level.Trial)
    public void deleteAclFile() {
        try {
            Files.deleteIfExists(file);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Benchmark
    public boolean readCachedTopic() {
        return steady.mayRead(fewTopics[next++ & (fewTopics.length - 1)]);
    }

    @Benchmark
    public boolean readNewTopics() {
        return roaming.mayRead(manyTopics[next++ & (TOPICS - 1)]);
    }

    @Benchmark
    public boolean connectAndFirstCheck() {
        int u = nextUser++ % USERS;
        return authorizer.access("client-" + u, "user-" + u).mayRead("tenant/" + u % TENANTS + "/broadcast");
    }
}
