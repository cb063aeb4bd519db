package org.wrenmq.broker.cluster;

import com.hazelcast.config.Config;
import com.hazelcast.config.JoinConfig;
import com.hazelcast.config.MapConfig;
import com.hazelcast.config.NetworkConfig;
import com.hazelcast.config.ReliableTopicConfig;
import com.hazelcast.config.RingbufferConfig;
import com.hazelcast.core.Hazelcast;
import com.hazelcast.core.HazelcastInstance;
import com.hazelcast.internal.util.ConcurrencyUtil;
import com.hazelcast.topic.TopicOverloadPolicy;
import com.hazelcast.spi.merge.LatestUpdateMergePolicy;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ForkJoinPool;
import java.util.function.Function;
import org.wrenmq.broker.ClusterConfig;

/**
 * The Hazelcast member configuration made from WrenMQ's cluster keys: a static TCP/IP join list (multicast and
 * Hazelcast's cloud auto-detection off, so a node joins only the members it was told), one interface, logging
 * through SLF4J, no phone-home.
 */
final class HazelcastSetup {
    /** Every map WrenMQ keeps in the cluster starts with this; they share the backup and merge settings. */
    static final String MAP_PREFIX = "wrenmq.";
    /** Each node's reliable topic for QoS 1/2 messages is named this and the node's id. */
    static final String INBOX_PREFIX = MAP_PREFIX + "inbox.";
    /** Hazelcast names the ring buffer behind a reliable topic this and the topic's name. */
    static final String RELIABLE_TOPIC_RING_BUFFER = "_hz_rb_";
    /**
     * The messages a node's QoS 1/2 ring buffer keeps: a node further behind than this loses the oldest
     * ({@code cluster.messages.overrun}). At 1 KB a message, about 100 MB per node at worst, and as much again for
     * each backup.
     */
    static final int INBOX_CAPACITY = 100_000;
    /** Hazelcast's callback threads ({@link #reuseCallbackThreads}): made as needed, reused, ended after 60 s idle. */
    private static final ExecutorService CALLBACKS = Executors.newCachedThreadPool(r -> {
        Thread t = new Thread(r, "wrenmq-hazelcast-callback");
        t.setDaemon(true);
        return t;
    });

    /**
     * Starts a member from its configuration. Tests only replace it, to start members whose network they can cut
     * (a split brain in one JVM); a broker always uses Hazelcast's own.
     */
    static volatile Function<Config, HazelcastInstance> newMember = Hazelcast::newHazelcastInstance;

    private HazelcastSetup() {
    }

    static Config config(ClusterConfig cluster) {
        reuseCallbackThreads();
        Config config = new Config();
        config.setClusterName(cluster.name());
        config.setInstanceName("wrenmq-" + cluster.name() + "-" + cluster.port());
        config.setClassLoader(HazelcastSetup.class.getClassLoader());
        config.setProperty("hazelcast.logging.type", "slf4j");
        config.setProperty("hazelcast.phone.home.enabled", "false");
        // the broker stops its member itself, after its clients, so that they can reconnect elsewhere first
        config.setProperty("hazelcast.shutdownhook.enabled", "false");
        config.setProperty("hazelcast.socket.bind.any", "false");
        NodeIds.assign(config);

        NetworkConfig network = config.getNetworkConfig();
        network.setPort(cluster.port()).setPortAutoIncrement(false);
        network.getInterfaces().setEnabled(true).addInterface(cluster.bindAddress());
        JoinConfig join = network.getJoin();
        join.getMulticastConfig().setEnabled(false);
        join.getAutoDetectionConfig().setEnabled(false);
        join.getTcpIpConfig().setEnabled(true).setMembers(cluster.members());

        // After a split brain heals, the newest write of each entry wins (a client's last connection, the latest
        // retained message of a topic); it needs the time of each entry's last update.
        MapConfig maps = new MapConfig(MAP_PREFIX + "*")
                .setBackupCount(cluster.backupCount())
                .setPerEntryStatsEnabled(true);
        maps.getMergePolicyConfig().setPolicy(LatestUpdateMergePolicy.class.getName());
        config.addMapConfig(maps);

        // QoS 1/2 messages between nodes: the ring buffer behind each node's reliable topic, written with
        // synchronous backups before the publisher is acknowledged; no time to live, so the oldest message is
        // overwritten only when the buffer is full
        config.addRingBufferConfig(new RingbufferConfig(RELIABLE_TOPIC_RING_BUFFER + INBOX_PREFIX + "*")
                .setCapacity(INBOX_CAPACITY)
                .setBackupCount(cluster.backupCount())
                .setAsyncBackupCount(0)
                .setTimeToLiveSeconds(0));
        // ERROR: without a time to live the buffer never refuses (it overwrites the oldest), and under
        // DISCARD_OLDEST/DISCARD_NEWEST Hazelcast 5.7.0's publishAsync drops the write's future and returns one that
        // never completes
        config.addReliableTopicConfig(new ReliableTopicConfig(INBOX_PREFIX + "*")
                .setTopicOverloadPolicy(TopicOverloadPolicy.ERROR));
        return config;
    }

    /**
     * Hazelcast runs what completes its asynchronous operations' futures (every map write's, even with no callback
     * of ours: a map's future wraps the operation's) on the JVM's common pool, or, where that pool has a single
     * thread (2 CPUs or fewer), on a new thread each time. Starting a thread per map write made every mirror write
     * of a session several milliseconds slower (docs/cluster.md). Here a pool keeps such threads for reuse instead:
     * like a new thread, it never makes a callback wait for another one. Process-wide and set once; nothing to undo.
     */
    static void reuseCallbackThreads() {
        if (ForkJoinPool.getCommonPoolParallelism() > 1 || ConcurrencyUtil.getDefaultAsyncExecutor() == CALLBACKS) {
            return;
        }
        ConcurrencyUtil.setDefaultAsyncExecutor(CALLBACKS);
    }
}
