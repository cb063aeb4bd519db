package org.wrenmq.broker;

import java.nio.file.Path;
import java.util.List;

/**
 * One bridge: a {@code connection NAME} block of mosquitto's config with the settings that follow it (see
 * docs/bridges.md). Defaults are mosquitto's; {@link BridgeBlock} reads and checks the block.
 *
 * @param addresses          {@code address HOST[:PORT] ...}: tried in order (failover), or in turn with
 *                           {@code round_robin true}
 * @param remoteClientId     {@code remote_clientid}, default {@code HOSTNAME.NAME}
 * @param localClientId      {@code local_clientid}, default {@code local.REMOTE_CLIENTID}: the client id of the
 *                           bridge's session in this broker, which keeps its messages while the link is down
 * @param cleanSession       {@code cleansession} towards the remote (default false)
 * @param localCleanSession  {@code local_cleansession} (default: as {@code cleansession})
 * @param protocolVersion    {@code bridge_protocol_version}: 3 (mqttv31), 4 (mqttv311, default) or 5 (mqttv50)
 * @param keepaliveSeconds   {@code keepalive_interval} (default 60)
 * @param restartBaseSeconds {@code restart_timeout BASE [CAP]}: the wait before reconnecting (default 5)
 * @param restartCapSeconds  the backoff cap, 0 for a constant wait of BASE (default: backoff 5 to 30)
 * @param notificationTopic  {@code notification_topic}, default {@code $SYS/broker/connection/REMOTE_CLIENTID/state}
 * @param maxPacketSize      {@code bridge_max_packet_size}: largest packet sent to the remote, 0 for no limit
 * @param idleTimeoutSeconds {@code idle_timeout}: a lazy bridge disconnects after this long without messages
 * @param threshold          {@code threshold}: a lazy bridge connects once this many messages wait
 */
public record BridgeConfig(String name, List<Address> addresses, boolean roundRobin, List<Topic> topics,
                           String remoteClientId, String remoteUsername, String remotePassword,
                           String localClientId, boolean cleanSession, boolean localCleanSession,
                           int protocolVersion, int keepaliveSeconds, int restartBaseSeconds,
                           int restartCapSeconds, StartType startType, int idleTimeoutSeconds, int threshold,
                           boolean notifications, boolean notificationsLocalOnly, String notificationTopic,
                           boolean tryPrivate, boolean outgoingRetain, int maxPacketSize,
                           boolean attemptUnsubscribe, Tls tls) {

    /** {@code keepalive_interval} default, seconds (mosquitto's). */
    public static final int DEFAULT_KEEPALIVE_INTERVAL = 60;
    /** The shortest {@code keepalive_interval}: mosquitto raises smaller values to it. */
    public static final int MIN_KEEPALIVE_INTERVAL = 5;
    /** {@code restart_timeout} default: mosquitto's backoff from 5 s up to 30 s. */
    public static final int DEFAULT_RESTART_BASE = 5;
    public static final int DEFAULT_RESTART_CAP = 30;
    /** {@code idle_timeout} and {@code threshold} defaults for {@code start_type lazy} (mosquitto's). */
    public static final int DEFAULT_IDLE_TIMEOUT = 60;
    public static final int DEFAULT_THRESHOLD = 10;
    /** The port of an {@code address} without one. */
    public static final int DEFAULT_REMOTE_PORT = 1883;

    public BridgeConfig {
        addresses = List.copyOf(addresses);
        topics = List.copyOf(topics);
    }

    /** {@code start_type}: connect at start and after every loss, when messages wait, or once only. */
    public enum StartType { AUTOMATIC, LAZY, ONCE }

    public enum Direction {
        IN, OUT, BOTH;

        public boolean out() {
            return this != IN;
        }

        public boolean in() {
            return this != OUT;
        }
    }

    public record Address(String host, int port) {
        @Override
        public String toString() {
            return host + ":" + port;
        }
    }

    /**
     * One {@code topic PATTERN [in|out|both] [QOS] [LOCAL_PREFIX] [REMOTE_PREFIX]} line. A null pattern is
     * mosquitto's {@code ""}: the prefixes are then the whole topics. Null prefixes are none.
     */
    public record Topic(String pattern, Direction direction, int qos, String localPrefix, String remotePrefix) {

        /** The filter this broker's side uses: local prefix + pattern. */
        public String localFilter() {
            return join(localPrefix, pattern);
        }

        /** The filter the remote side uses: remote prefix + pattern. */
        public String remoteFilter() {
            return join(remotePrefix, pattern);
        }

        public boolean remaps() {
            return localPrefix != null || remotePrefix != null;
        }

        private static String join(String prefix, String pattern) {
            return (prefix == null ? "" : prefix) + (pattern == null ? "" : pattern);
        }
    }

    /** {@code bridge_cafile}, {@code bridge_capath}, {@code bridge_certfile}, {@code bridge_keyfile}, ... */
    public record Tls(Path cafile, Path capath, Path certfile, Path keyfile, boolean insecure, String tlsVersion) {
    }
}
