package org.wrenmq.broker.cluster;

import com.hazelcast.core.Hazelcast;
import com.hazelcast.core.HazelcastInstance;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.StringJoiner;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.function.BiFunction;
import org.wrenmq.api.MqttBroker.ClientInfo;
import org.wrenmq.broker.Broker;
import org.wrenmq.broker.testing.FreePorts;

/**
 * Three brokers (or as many as asked) in this JVM forming one cluster over loopback, each its own Hazelcast member
 * on a port picked free; started together (a member waits for the others of its join list).
 */
final class ThreeNodes implements AutoCloseable {
    final List<Broker> nodes = new ArrayList<>();
    private final List<Integer> ports = new ArrayList<>();
    private final String clusterName;

    ThreeNodes(String clusterName) {
        this(clusterName, 3, (node, builder) -> builder);
    }

    /** {@code count} nodes, each builder passed through {@code each} (with the node's index) before it starts. */
    ThreeNodes(String clusterName, int count, BiFunction<Integer, Broker.Builder, Broker.Builder> each) {
        this.clusterName = clusterName;
        for (int port : FreePorts.loopback(count)) {
            ports.add(port);
        }
        String members = members();
        List<CompletableFuture<Broker>> starting = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            int node = i;
            starting.add(CompletableFuture.supplyAsync(() -> each.apply(node, builder(node, members)).build().start()));
        }
        starting.forEach(f -> nodes.add(f.join()));
    }

    /**
     * {@code count} nodes with persistence on, each its store in {@code stores}/node{@code i}; each builder passed
     * through {@code each} too.
     */
    static ThreeNodes withStores(String clusterName, int count, Path stores,
                                 BiFunction<Integer, Broker.Builder, Broker.Builder> each) {
        return new ThreeNodes(clusterName, count, (node, builder) -> each.apply(node, builder
                .set("persistence", "true").set("persistence_location", stores.resolve("node" + node).toString())));
    }

    static ThreeNodes withStores(String clusterName, int count, Path stores) {
        return withStores(clusterName, count, stores, (node, builder) -> builder);
    }

    /** One more node, joining the running ones (each of which sees a member join); its index is the next. */
    Broker join() {
        ports.add(FreePorts.loopback());
        Broker joined = builder(ports.size() - 1, members()).build().start();
        nodes.add(joined);
        return joined;
    }

    private Broker.Builder builder(int node, String members) {
        return Broker.builder().listener(0, "127.0.0.1").set("allow_anonymous", "true").set("persistence", "false")
                .set("sys_interval", "0").set("cluster_name", clusterName)
                .set("cluster_listener", ports.get(node) + " 127.0.0.1").set("cluster_members", members);
    }

    private String members() {
        StringJoiner members = new StringJoiner(",");
        ports.forEach(port -> members.add("127.0.0.1:" + port));
        return members.toString();
    }

    Broker node(int i) {
        return nodes.get(i);
    }

    int port(int i) {
        return nodes.get(i).port();
    }

    /** Node i's Hazelcast member, found by its port (each node makes its own). */
    HazelcastInstance hazelcast(int i) {
        return Hazelcast.getAllHazelcastInstances().stream().filter(h -> h.getLifecycleService().isRunning()
                && h.getCluster().getLocalMember().getAddress().getPort() == ports.get(i)).findFirst()
                .orElseThrow(() -> new AssertionError("node " + (i + 1) + " is not a running member"));
    }

    /** The node the oldest member is: the one that adopts the sessions of a node that dies. */
    int oldest() {
        int port = hazelcast(0).getCluster().getMembers().iterator().next().getAddress().getPort();
        int oldest = ports.indexOf(port);
        if (oldest >= 0) {
            return oldest;
        }
        throw new AssertionError("no node on member port " + port);
    }

    /**
     * Node i dies as the cluster sees it (as after kill -9): its member stops at once, without leaving; its MQTT
     * side stays up, so close its clients first.
     */
    void kill(int i) {
        hazelcast(i).getLifecycleService().terminate();
    }

    /** Node {@code i}'s node id in the cluster. */
    UUID memberId(int i) {
        return NodeIds.self(hazelcast(i));
    }

    /** The session {@code id} on node {@code node}, as the node reports its clients. */
    ClientInfo session(int node, String id) {
        return nodes.get(node).clients().stream().filter(c -> c.clientId().equals(id)).findFirst()
                .orElseThrow(() -> new AssertionError("no session '" + id + "' on node " + (node + 1)));
    }

    long counter(int i, String name) {
        return nodes.get(i).counters().getOrDefault(name, 0L);
    }

    @Override
    public void close() {
        nodes.forEach(Broker::close);
    }

}
