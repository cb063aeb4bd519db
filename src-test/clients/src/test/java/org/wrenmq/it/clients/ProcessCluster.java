package org.wrenmq.it.clients;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import org.wrenmq.it.support.ClientProcess;

/**
 * Three {@code ./wrenmq} processes that form a cluster from their config files alone (cluster_name,
 * cluster_listener, cluster_members on loopback ports picked free), and the mosquitto clients a test runs against
 * them; shared by {@link ClusterIT} and {@link ClusterSplitBrainIT}. Nodes are numbered 0, 1, 2 here (the display
 * names say node 1, 2, 3).
 */
final class ProcessCluster implements AutoCloseable {
    static final Duration PATIENCE = Duration.ofSeconds(60);
    private static final String PROBE = "probe";

    private final Path dir;
    private final String javaOpts;
    private final List<String> extraConf;
    private final Launched launched = new Launched();
    private final int[] mqttPorts;
    private final int[] clusterPorts;
    private final ClientProcess[] nodes = new ClientProcess[3];
    private final boolean[] frozen = new boolean[3];

    private ProcessCluster(Path dir, String javaOpts, List<String> extraConf) {
        this.dir = dir;
        this.javaOpts = javaOpts;
        this.extraConf = extraConf;
        int[] ports = Launched.freePorts(6);
        mqttPorts = new int[] {ports[0], ports[1], ports[2]};
        clusterPorts = new int[] {ports[3], ports[4], ports[5]};
    }

    /** Starts the three nodes in {@code dir} with these JVM options and config lines added; waits until all listen. */
    static ProcessCluster start(Path dir, String javaOpts, String... extraConf) {
        ProcessCluster cluster = new ProcessCluster(dir, javaOpts, List.of(extraConf));
        for (int i = 0; i < 3; i++) {
            cluster.nodes[i] = cluster.startNode(i);
        }
        for (int i = 0; i < 3; i++) {
            cluster.awaitListening(i);
        }
        return cluster;
    }

    /**
     * As {@link #start}, but node {@code oldest} first, alone until it listens: it is the oldest member, Hazelcast's
     * master (else whichever node forms the cluster first is).
     */
    static ProcessCluster startOldestFirst(int oldest, Path dir, String javaOpts, String... extraConf) {
        ProcessCluster cluster = new ProcessCluster(dir, javaOpts, List.of(extraConf));
        cluster.nodes[oldest] = cluster.startNode(oldest);
        cluster.awaitListening(oldest);
        for (int i = 0; i < 3; i++) {
            if (i != oldest) {
                cluster.nodes[i] = cluster.startNode(i);
            }
        }
        for (int i = 0; i < 3; i++) {
            cluster.awaitListening(i);
        }
        return cluster;
    }

    private ClientProcess startNode(int i) {
        try {
            Path nodeDir = Files.createDirectories(dir.resolve("node" + (i + 1)));
            String members = "127.0.0.1:" + clusterPorts[0] + ",127.0.0.1:" + clusterPorts[1] + ",127.0.0.1:"
                    + clusterPorts[2];
            Path conf = nodeDir.resolve("wrenmq.conf");
            List<String> lines = new ArrayList<>(List.of(
                    "listener " + mqttPorts[i] + " 127.0.0.1",
                    "allow_anonymous true",
                    "persistence_location " + nodeDir.resolve("data"),
                    "cluster_name it",
                    "cluster_listener " + clusterPorts[i] + " 127.0.0.1",
                    "cluster_members " + members,
                    "cluster_backup_count 1"));
            lines.addAll(extraConf);
            Files.write(conf, lines);
            return launched.wrenmqWith(javaOpts, nodeDir, "-c", conf.toString());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private void awaitListening(int i) {
        ClientProcess node = nodes[i];
        await().atMost(PATIENCE).pollInterval(Duration.ofMillis(300)).until(() -> {
            assertThat(node.isAlive()).as("node %d running; output:%n%s", i + 1, node.output()).isTrue();
            return node.output().contains("WrenMQ listening on");
        });
    }

    /** Starts node {@code i} again (after a kill) from its config file and store; waits until it listens. */
    void restart(int i) {
        nodes[i] = startNode(i);
        awaitListening(i);
    }

    ClientProcess node(int i) {
        return nodes[i];
    }

    int clusterPort(int node) {
        return clusterPorts[node];
    }

    String port(int node) {
        return Integer.toString(mqttPorts[node]);
    }

    /**
     * SIGSTOP to node {@code i}'s JVM (the launcher execs java): every thread stops, as in a long GC pause or a hung
     * VM; its sockets stay open, so its peers and clients see silence, not a closed connection.
     */
    void freeze(int i) {
        signal(i, "-STOP");
        frozen[i] = true;
    }

    /** SIGCONT: the frozen node goes on where it stopped. */
    void thaw(int i) {
        signal(i, "-CONT");
        frozen[i] = false;
    }

    private void signal(int i, String signal) {
        ClientProcess.start(dir, "kill", signal, Long.toString(nodes[i].pid())).awaitSuccess();
    }

    ClientProcess client(String... command) {
        return launched.run(dir, command);
    }

    /** {@code mosquitto_sub -c -q 1 -i ID -t TOPIC} on a node: a persistent session's client. */
    ClientProcess persistentSubscriber(int node, String clientId, String topic) {
        return client("mosquitto_sub", "-p", port(node), "-q", "1", "-c", "-i", clientId, "-t", topic);
    }

    /** A persistent session on {@code node}, left offline once node {@code publisher} routes its topic there. */
    void offlineSession(int node, String clientId, String topic, int publisher) {
        ClientProcess session = persistentSubscriber(node, clientId, topic);
        awaitRoute(publisher, topic, session);
        session.stop();
    }

    /** Publishes probes on {@code node} until every one of {@code subscribers} has received one. */
    void awaitRoute(int node, String topic, ClientProcess... subscribers) {
        await().atMost(PATIENCE).pollInterval(Duration.ofMillis(500)).until(() -> {
            client("mosquitto_pub", "-p", port(node), "-t", topic, "-m", PROBE).awaitExit();
            for (ClientProcess s : subscribers) {
                if (!s.output().lines().anyMatch(PROBE::equals)) {
                    return false;
                }
            }
            return true;
        });
    }

    /** What {@code mosquitto_sub -v -t '$SYS/broker/cluster/#'} prints on {@code node} in two seconds. */
    String sysCluster(int node) {
        return client("mosquitto_sub", "-p", port(node), "-v", "-t", "$SYS/broker/cluster/#", "-W", "2")
                .awaitExitOutput();
    }

    /** Ends every process started here; a frozen node gets SIGCONT first (a stopped JVM is not left behind). */
    @Override
    public void close() {
        for (int i = 0; i < 3; i++) {
            if (frozen[i] && nodes[i] != null && nodes[i].isAlive()) {
                thaw(i);
            }
        }
        launched.closeAll();
    }
}
