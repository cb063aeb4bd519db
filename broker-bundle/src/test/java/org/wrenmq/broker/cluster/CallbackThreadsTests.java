package org.wrenmq.broker.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import com.hazelcast.core.Hazelcast;
import com.hazelcast.core.HazelcastInstance;
import com.hazelcast.map.IMap;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.wrenmq.broker.ClusterConfig;
import org.wrenmq.broker.testing.FreePorts;

/**
 * What completes a cluster map write runs on threads that are reused. Hazelcast's own default, where the JVM's
 * common pool has a single thread (2 CPUs or fewer), starts a new thread for every completion: that made each
 * mirror write, and so each PUBACK of a same-node publisher to a persistent session, several milliseconds slower
 * (docs/cluster.md). On a machine with more CPUs the common pool does it, and this holds as well.
 */
@DisplayName("a cluster node's map writes")
class CallbackThreadsTests {
    private static final int WRITES = 100;

    @Test
    @DisplayName("complete on a few reused threads, not on a new thread each")
    void completionsReuseThreads() {
        int port = FreePorts.loopback();
        HazelcastInstance member = Hazelcast.newHazelcastInstance(HazelcastSetup.config(new ClusterConfig(
                "callback-threads", port, "127.0.0.1", List.of("127.0.0.1:" + port), 1)));
        try {
            IMap<String, byte[]> map = member.getMap(HazelcastSetup.MAP_PREFIX + "callback-threads");
            Set<Thread> completing = ConcurrentHashMap.newKeySet();
            for (int i = 0; i < WRITES; i++) {
                map.setAsync("k" + i, new byte[] {1})
                        .whenComplete((ok, failure) -> completing.add(Thread.currentThread()))
                        .toCompletableFuture().join();
            }
            assertThat(completing).hasSizeLessThan(WRITES / 10);
        } finally {
            member.shutdown();
        }
    }
}
