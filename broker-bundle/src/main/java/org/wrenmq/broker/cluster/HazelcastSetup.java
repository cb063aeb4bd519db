package org.wrenmq.broker.cluster;

import com.hazelcast.config.Config;
import com.hazelcast.config.JoinConfig;
import com.hazelcast.config.MapConfig;
import com.hazelcast.config.NetworkConfig;
import com.hazelcast.spi.merge.LatestUpdateMergePolicy;
import org.wrenmq.broker.ClusterConfig;

/**
 * The Hazelcast member configuration made from WrenMQ's cluster keys: a static TCP/IP join list (multicast and
 * Hazelcast's cloud auto-detection off, so a node joins only the members it was told), one interface, logging
 * through SLF4J, no phone-home.
 */
final class HazelcastSetup {
    /** Every map WrenMQ keeps in the cluster starts with this; they share the backup and merge settings. */
    static final String MAP_PREFIX = "wrenmq.";

    private HazelcastSetup() {
    }

    static Config config(ClusterConfig cluster) {
        Config config = new Config();
        config.setClusterName(cluster.name());
        config.setInstanceName("wrenmq-" + cluster.name() + "-" + cluster.port());
        config.setClassLoader(HazelcastSetup.class.getClassLoader());
        config.setProperty("hazelcast.logging.type", "slf4j");
        config.setProperty("hazelcast.phone.home.enabled", "false");
        // the broker stops its member itself, after its clients, so that they can reconnect elsewhere first
        config.setProperty("hazelcast.shutdownhook.enabled", "false");
        config.setProperty("hazelcast.socket.bind.any", "false");

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
        return config;
    }
}
