package org.wrenmq.broker;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.wrenmq.broker.BridgeConfig.Address;
import org.wrenmq.broker.BridgeConfig.Direction;
import org.wrenmq.broker.BridgeConfig.StartType;
import org.wrenmq.broker.BridgeConfig.Topic;
import org.wrenmq.broker.config.ConfigValues;

/**
 * Collects the settings of one {@code connection NAME} block, with mosquitto's defaults and checks (src/conf.c,
 * src/bridge_topic.c), and builds its {@link BridgeConfig}. Errors found when the block is complete (no address,
 * no topic) name the line of its {@code connection}.
 */
final class BridgeBlock {
    private static final Logger LOG = LoggerFactory.getLogger(BridgeBlock.class);
    /** The keys that belong to the last {@code connection} block (mosquitto's bridge keys). */
    static final Set<String> KEYS = Set.of("address", "addresses", "round_robin", "topic", "remote_clientid",
            "clientid", "remote_username", "remote_password", "cleansession", "local_cleansession",
            "local_clientid", "bridge_protocol_version", "keepalive_interval", "restart_timeout", "start_type",
            "idle_timeout", "threshold", "notifications", "notifications_local_only", "notification_topic",
            "try_private", "bridge_cafile", "bridge_capath", "bridge_certfile", "bridge_keyfile", "bridge_insecure",
            "bridge_tls_version", "bridge_outgoing_retain", "bridge_max_packet_size", "bridge_attempt_unsubscribe");

    private final String name;
    private final String origin;
    private final List<Address> addresses = new ArrayList<>();
    private final List<Topic> topics = new ArrayList<>();
    private boolean roundRobin;
    private String remoteClientId;
    private String remoteUsername;
    private String remotePassword;
    private String localClientId;
    private boolean cleanSession;
    private Boolean localCleanSession;
    private int protocolVersion = 4;
    private int keepalive = BridgeConfig.DEFAULT_KEEPALIVE_INTERVAL;
    private int restartBase = BridgeConfig.DEFAULT_RESTART_BASE;
    private int restartCap = BridgeConfig.DEFAULT_RESTART_CAP;
    private StartType startType = StartType.AUTOMATIC;
    private int idleTimeout = BridgeConfig.DEFAULT_IDLE_TIMEOUT;
    private int threshold = BridgeConfig.DEFAULT_THRESHOLD;
    private boolean notifications = true;
    private boolean notificationsLocalOnly;
    private String notificationTopic;
    private boolean tryPrivate = true;
    private boolean outgoingRetain = true;
    private int maxPacketSize;
    private boolean attemptUnsubscribe = true;
    private Path cafile;
    private Path capath;
    private Path certfile;
    private Path keyfile;
    private boolean insecure;
    private String tlsVersion;

    /** @param origin where the block began ({@code FILE:LINE}), or null when not read from a file */
    BridgeBlock(String name, String origin) {
        if (name.isEmpty() || name.indexOf(' ') >= 0 || name.indexOf('\t') >= 0) {
            throw new ConfigException("connection takes one NAME, not '" + name + "'");
        }
        this.name = name;
        this.origin = origin;
    }

    String name() {
        return name;
    }

    /** Applies one key of {@link #KEYS}. @throws ConfigException naming what is wrong */
    void set(String key, String v) {
        switch (key) {
            case "address":
            case "addresses": addresses(key, v); break;
            case "round_robin": roundRobin = ConfigValues.bool(key, v); break;
            case "topic": topics.add(topic(v)); break;
            case "remote_clientid":
            case "clientid": remoteClientId = clientId(key, v); break;
            case "remote_username": remoteUsername = ConfigValues.nonEmpty(key, v); break;
            case "remote_password": remotePassword = ConfigValues.nonEmpty(key, v); break;
            case "local_clientid": localClientId = clientId(key, v); break;
            case "cleansession": cleanSession = ConfigValues.bool(key, v); break;
            case "local_cleansession": localCleanSession = ConfigValues.bool(key, v); break;
            case "bridge_protocol_version": protocolVersion = protocolVersion(v); break;
            case "keepalive_interval": keepalive = keepalive(key, v); break;
            case "restart_timeout": restartTimeout(key, v); break;
            case "start_type": startType = startType(v); break;
            case "idle_timeout": idleTimeout = Math.max(1, ConfigValues.integer(key, v, 0, 86_400)); break;
            case "threshold": threshold = Math.max(1, ConfigValues.integer(key, v, 0, Integer.MAX_VALUE)); break;
            case "notifications": notifications = ConfigValues.bool(key, v); break;
            case "notifications_local_only": notificationsLocalOnly = ConfigValues.bool(key, v); break;
            case "notification_topic": notificationTopic = topicName(key, ConfigValues.nonEmpty(key, v)); break;
            case "try_private": tryPrivate = ConfigValues.bool(key, v); break;
            case "bridge_outgoing_retain": outgoingRetain = ConfigValues.bool(key, v); break;
            case "bridge_max_packet_size":
                maxPacketSize = ConfigValues.integer(key, v, 0, BrokerConfig.MQTT_MAX_PACKET_SIZE);
                break;
            case "bridge_attempt_unsubscribe": attemptUnsubscribe = ConfigValues.bool(key, v); break;
            case "bridge_cafile": cafile = path(key, v); break;
            case "bridge_capath": capath = path(key, v); break;
            case "bridge_certfile": certfile = path(key, v); break;
            case "bridge_keyfile": keyfile = path(key, v); break;
            case "bridge_insecure": insecure = ConfigValues.bool(key, v); break;
            case "bridge_tls_version": tlsVersion = tlsVersion(v); break;
            default: throw new IllegalArgumentException(key);
        }
    }

    BridgeConfig build() {
        if (addresses.isEmpty()) {
            throw invalid("no address given (address HOST[:PORT] ...)");
        }
        if (topics.isEmpty()) {
            throw invalid("no topic given (topic PATTERN [in|out|both] [QOS] [LOCAL_PREFIX] [REMOTE_PREFIX])");
        }
        if ((certfile == null) != (keyfile == null)) {
            throw invalid("bridge_certfile and bridge_keyfile go together");
        }
        if (certfile != null && cafile == null && capath == null) {
            throw invalid("bridge_certfile needs bridge_cafile or bridge_capath to check the remote broker");
        }
        BridgeConfig.Tls tls = cafile == null && capath == null ? null
                : new BridgeConfig.Tls(cafile, capath, certfile, keyfile, insecure, tlsVersion);
        String remoteId = remoteClientId != null ? remoteClientId : hostName() + "." + name;
        String localId = localClientId != null ? localClientId : "local." + remoteId;
        String notifyTopic = notificationTopic != null ? notificationTopic
                : "$SYS/broker/connection/" + remoteId + "/state";
        return new BridgeConfig(name, addresses, roundRobin, topics, remoteId, remoteUsername, remotePassword,
                localId, cleanSession, localCleanSession == null ? cleanSession : localCleanSession,
                protocolVersion, keepalive, restartBase, restartCap, startType, idleTimeout, threshold,
                notifications, notificationsLocalOnly, notifyTopic, tryPrivate, outgoingRetain, maxPacketSize,
                attemptUnsubscribe, tls);
    }

    /** An error about the block as a whole, named at its {@code connection} line. */
    ConfigException invalid(String why) {
        return new ConfigException((origin == null ? "" : origin + ": ") + "connection " + name + ": " + why);
    }

    private void addresses(String key, String v) {
        if (!addresses.isEmpty()) {
            throw new ConfigException(key + " given twice in connection " + name + " (list every HOST:PORT on one line)");
        }
        for (String a : ConfigValues.nonEmpty(key, v).split("\\s+")) {
            if (a.startsWith("#")) {
                break;
            }
            int colon = a.lastIndexOf(':');
            String host = colon < 0 ? a : a.substring(0, colon);
            if (host.isEmpty()) {
                throw new ConfigException(key + " '" + a + "' has no host");
            }
            int port = colon < 0 ? BridgeConfig.DEFAULT_REMOTE_PORT
                    : ConfigValues.integer(key + " port", a.substring(colon + 1), 1, 65_535);
            addresses.add(new Address(host, port));
        }
    }

    /** mosquitto's {@code bridge__add_topic}: a prefix is a topic name, prefix + pattern a valid filter. */
    private static Topic topic(String v) {
        String[] parts = ConfigValues.nonEmpty("topic", v).split("\\s+");
        if (parts.length > 5) {
            throw new ConfigException("topic takes PATTERN [in|out|both] [QOS] [LOCAL_PREFIX] [REMOTE_PREFIX], not '"
                    + v + "'");
        }
        String pattern = parts[0].equals("\"\"") ? null : parts[0];
        Direction direction = parts.length > 1 ? direction(parts[1]) : Direction.OUT;
        int qos = parts.length > 2 ? ConfigValues.integer("topic QOS", parts[2], 0, 2) : 0;
        String local = parts.length > 3 ? prefix("local", parts[3]) : null;
        String remote = parts.length > 4 ? prefix("remote", parts[4]) : null;
        if (pattern == null && (local == null || remote == null)) {
            throw new ConfigException("topic \"\" needs both a local and a remote prefix (they are then the topics)");
        }
        Topic t = new Topic(pattern, direction, qos, local, remote);
        filter(t.localFilter(), "local prefix and pattern");
        filter(t.remoteFilter(), "remote prefix and pattern");
        return t;
    }

    private static Direction direction(String v) {
        switch (v.toLowerCase()) {
            case "out": return Direction.OUT;
            case "in": return Direction.IN;
            case "both": return Direction.BOTH;
            default: throw new ConfigException("topic direction must be in, out or both, not '" + v + "'");
        }
    }

    private static String prefix(String side, String v) {
        return v.equals("\"\"") ? null : topicName("topic " + side + " prefix", v);
    }

    private static String topicName(String what, String v) {
        if (v.contains("+") || v.contains("#")) {
            throw new ConfigException(what + " '" + v + "' must not contain + or #");
        }
        return v;
    }

    /** MQTT's filter rules [MQTT-4.7.1-2], [MQTT-4.7.1-3]: wildcards take a whole level, # only the last. */
    private static void filter(String f, String what) {
        String[] levels = f.split("/", -1);
        for (int i = 0; i < levels.length; i++) {
            String l = levels[i];
            boolean bad = (l.contains("#") && (!l.equals("#") || i != levels.length - 1))
                    || (l.contains("+") && !l.equals("+"));
            if (bad || f.isEmpty()) {
                throw new ConfigException("topic: " + what + " make '" + f + "', not a valid topic filter");
            }
        }
    }

    private static String clientId(String key, String v) {
        return ConfigValues.nonEmpty(key, v);
    }

    private static int protocolVersion(String v) {
        switch (v) {
            case "mqttv31": return 3;
            case "mqttv311": return 4;
            case "mqttv50": return 5;
            default: throw new ConfigException("bridge_protocol_version must be mqttv31, mqttv311 or mqttv50, not '"
                    + v + "'");
        }
    }

    private int keepalive(String key, String v) {
        int k = ConfigValues.integer(key, v, 0, 65_535);
        if (k < BridgeConfig.MIN_KEEPALIVE_INTERVAL) {
            LOG.info("connection {}: keepalive_interval {} too low, using {} seconds (as mosquitto)", name, k,
                    BridgeConfig.MIN_KEEPALIVE_INTERVAL);
            return BridgeConfig.MIN_KEEPALIVE_INTERVAL;
        }
        return k;
    }

    /** {@code restart_timeout BASE} waits BASE seconds; {@code BASE CAP} backs off from BASE up to CAP. */
    private void restartTimeout(String key, String v) {
        String[] parts = ConfigValues.nonEmpty(key, v).split("\\s+");
        if (parts.length > 2) {
            throw new ConfigException(key + " takes BASE [CAP] seconds, not '" + v + "'");
        }
        restartBase = Math.max(1, ConfigValues.integer(key, parts[0], 0, 86_400));
        restartCap = 0;
        if (parts.length == 2) {
            restartCap = ConfigValues.integer(key + " cap", parts[1], 1, 86_400);
            if (restartCap < restartBase) {
                throw new ConfigException(key + ": the backoff cap " + restartCap + " is lower than the base "
                        + restartBase);
            }
        }
    }

    private static StartType startType(String v) {
        switch (v) {
            case "automatic": return StartType.AUTOMATIC;
            case "lazy": return StartType.LAZY;
            case "once": return StartType.ONCE;
            case "manual": throw new ConfigException("start_type manual is not supported (as in mosquitto)");
            default: throw new ConfigException("start_type must be automatic, lazy or once, not '" + v + "'");
        }
    }

    private static String tlsVersion(String v) {
        if (!v.equals("tlsv1.2") && !v.equals("tlsv1.3")) {
            throw new ConfigException("bridge_tls_version must be tlsv1.2 or tlsv1.3, not '" + v + "'");
        }
        return v;
    }

    /** A TLS file (a folder for bridge_capath) that must be there now: a typo is reported at its line. */
    private static Path path(String key, String v) {
        Path p = ConfigValues.path(key, v);
        if (key.equals("bridge_capath") ? !Files.isDirectory(p) : !Files.isRegularFile(p) || !Files.isReadable(p)) {
            throw new ConfigException(key + ": " + p + (key.equals("bridge_capath") ? " is not a folder"
                    : " is not a readable file"));
        }
        return p;
    }

    private static String hostName() {
        try {
            return InetAddress.getLocalHost().getHostName();
        } catch (UnknownHostException e) {
            return "localhost";
        }
    }
}
