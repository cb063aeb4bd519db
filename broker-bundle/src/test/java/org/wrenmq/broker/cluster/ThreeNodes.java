package org.wrenmq.broker.cluster;

import com.hazelcast.core.Hazelcast;
import com.hazelcast.core.HazelcastInstance;
import java.util.ArrayList;
import java.util.List;
import java.util.StringJoiner;
import java.util.concurrent.CompletableFuture;
import java.util.function.BiFunction;
import org.wrenmq.broker.Broker;
import org.wrenmq.broker.testing.FreePorts;

/**
 * Three brokers (or as many as asked) in this JVM forming one cluster over loopback, each its own Hazelcast member
 * on a port picked free; started together (a member waits for the others of its join list).
 */
final class ThreeNodes implements AutoCloseable {
    final List<Broker> nodes = new ArrayList<>();
    private final String clusterName;
    private final int[] memberPorts;

    ThreeNodes(String clusterName) {
        this(clusterName, 3, (node, builder) -> builder);
    }

    /** {@code count} nodes, each builder passed through {@code each} (with the node's index) before it starts. */
    ThreeNodes(String clusterName, int count, BiFunction<Integer, Broker.Builder, Broker.Builder> each) {
        int[] ports = FreePorts.loopback(count);
        this.clusterName = clusterName;
        this.memberPorts = ports;
        StringJoiner members = new StringJoiner(",");
        for (int port : ports) {
            members.add("127.0.0.1:" + port);
        }
        List<CompletableFuture<Broker>> starting = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            int node = i;
            starting.add(CompletableFuture.supplyAsync(() -> each.apply(node, Broker.builder()
                    .listener(0, "127.0.0.1").set("allow_anonymous", "true").set("persistence", "false")
                    .set("sys_interval", "0").set("cluster_name", clusterName)
                    .set("cluster_listener", ports[node] + " 127.0.0.1").set("cluster_members", members.toString()))
                    .build().start()));
        }
        starting.forEach(f -> nodes.add(f.join()));
    }

    Broker node(int i) {
        return nodes.get(i);
    }

    /** Node {@code i}'s Hazelcast member (each broker names its own after the cluster and its member port). */
    HazelcastInstance hazelcast(int i) {
        return Hazelcast.getHazelcastInstanceByName("wrenmq-" + clusterName + "-" + memberPorts[i]);
    }

    int port(int i) {
        return nodes.get(i).port();
    }

    long counter(int i, String name) {
        return nodes.get(i).counters().getOrDefault(name, 0L);
    }

    @Override
    public void close() {
        nodes.forEach(Broker::close);
    }

}
