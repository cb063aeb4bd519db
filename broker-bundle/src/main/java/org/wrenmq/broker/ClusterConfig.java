package org.wrenmq.broker;

import static org.wrenmq.broker.config.ConfigValues.integer;
import static org.wrenmq.broker.config.ConfigValues.nonEmpty;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * The cluster settings: {@code cluster_name} turns clustering on; without it nothing of Hazelcast is loaded.
 *
 * @param name        {@code cluster_name}: nodes join only a cluster of the same name
 * @param port        {@code cluster_listener PORT}: where this node's Hazelcast member listens for the others
 * @param bindAddress {@code cluster_listener PORT ADDRESS}: the interface it listens on
 * @param members     {@code cluster_members}: the static TCP/IP join list (host:port), empty for none yet
 * @param backupCount {@code cluster_backup_count}: synchronous copies of each cluster map entry on other nodes
 * @param maxInflightMessages {@code cluster_max_inflight_messages}: messages this node may have sent to another
 *                    node that it has not yet reported routed; beyond it, the publishers sending there are paused
 */
public record ClusterConfig(String name, int port, String bindAddress, List<String> members, int backupCount,
                            int maxInflightMessages) {

    /** {@code cluster_listener}'s port when none is given: Hazelcast's own default member port. */
    public static final int DEFAULT_PORT = 5701;
    /** {@code cluster_listener}'s address when none is given: this machine only, as every WrenMQ default. */
    public static final String DEFAULT_BIND_ADDRESS = "127.0.0.1";
    /** {@code cluster_backup_count}: one copy on another node survives one node's loss. */
    public static final int DEFAULT_BACKUP_COUNT = 1;
    /**
     * {@code cluster_max_inflight_messages}: as mosquitto's {@code max_queued_messages} default, so that a burst
     * within the window fits the receiving node's subscriber queues; reports come back every quarter of it.
     */
    public static final int DEFAULT_MAX_INFLIGHT_MESSAGES = 1_000;
    /** At most what a node's QoS 1/2 ring buffer keeps (cluster's HazelcastSetup.INBOX_CAPACITY). */
    private static final int MAX_INFLIGHT_MESSAGES = 100_000;
    /** Hazelcast keeps at most six synchronous backups. */
    private static final int MAX_BACKUP_COUNT = 6;

    static final Set<String> KEYS = Set.of("cluster_name", "cluster_listener", "cluster_members",
            "cluster_backup_count", "cluster_max_inflight_messages");

    public ClusterConfig {
        members = List.copyOf(members);
    }

    /** With the default {@code cluster_max_inflight_messages}. */
    public ClusterConfig(String name, int port, String bindAddress, List<String> members, int backupCount) {
        this(name, port, bindAddress, members, backupCount, DEFAULT_MAX_INFLIGHT_MESSAGES);
    }

    /** Collects the cluster keys as they come; {@link #build()} is null without {@code cluster_name}. */
    static final class Builder {
        private String name;
        private int port = DEFAULT_PORT;
        private String bindAddress = DEFAULT_BIND_ADDRESS;
        private List<String> members = List.of();
        private int backupCount = DEFAULT_BACKUP_COUNT;
        private int maxInflightMessages = DEFAULT_MAX_INFLIGHT_MESSAGES;
        /**
         * Where {@code cluster_listener} or {@code cluster_members} was first set, for the error when
         * {@code cluster_name} is missing ({@code cluster_backup_count} alone is harmless: configuration tools
         * write every key that has a default).
         */
        private String firstKeyWithoutName;

        void set(String origin, String key, String v) {
            switch (key) {
                case "cluster_name":
                    if (v.isEmpty() || v.chars().anyMatch(Character::isWhitespace)) {
                        throw new ConfigException("cluster_name takes one word, not '" + v + "'");
                    }
                    name = v;
                    return;
                case "cluster_listener": listener(v); break;
                case "cluster_members": members = members(v); break;
                case "cluster_backup_count": backupCount = integer(key, v, 0, MAX_BACKUP_COUNT); return;
                case "cluster_max_inflight_messages":
                    maxInflightMessages = integer(key, v, 2, MAX_INFLIGHT_MESSAGES);
                    return;
                default: throw new IllegalArgumentException(key);
            }
            if (firstKeyWithoutName == null) {
                firstKeyWithoutName = (origin == null ? "" : origin + ": ") + key;
            }
        }

        ClusterConfig build() {
            if (name == null) {
                if (firstKeyWithoutName != null) {
                    throw new ConfigException(firstKeyWithoutName + " is set but cluster_name is not: "
                            + "cluster_name turns clustering on");
                }
                return null;
            }
            return new ClusterConfig(name, port, bindAddress, members, backupCount, maxInflightMessages);
        }

        private void listener(String v) {
            String[] parts = nonEmpty("cluster_listener", v).split("\\s+");
            if (parts.length > 2) {
                throw new ConfigException("cluster_listener takes PORT [ADDRESS], not '" + v + "'");
            }
            port = integer("cluster_listener", parts[0], 1, 65_535);
            if (parts.length == 2) {
                bindAddress = parts[1];
            }
        }

        private static List<String> members(String v) {
            List<String> out = new ArrayList<>();
            for (String member : nonEmpty("cluster_members", v).split(",")) {
                String m = member.strip();
                int colon = m.lastIndexOf(':');
                if (colon <= 0 || colon == m.length() - 1) {
                    throw new ConfigException("cluster_members takes HOST:PORT[,HOST:PORT...], not '" + m + "'");
                }
                integer("cluster_members port", m.substring(colon + 1), 1, 65_535);
                out.add(m);
            }
            return out;
        }
    }
}
