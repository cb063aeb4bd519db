package org.wrenmq.broker;

import static org.wrenmq.broker.config.ConfigValues.bool;
import static org.wrenmq.broker.config.ConfigValues.integer;
import static org.wrenmq.broker.config.ConfigValues.longValue;
import static org.wrenmq.broker.config.ConfigValues.nonEmpty;

import org.wrenmq.broker.config.ConfigValues;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.wrenmq.broker.config.ConfigFileReader;

/**
 * Everything the broker can be told, under mosquitto's names. One key table serves the standalone config file,
 * OSGi Config Admin and the resource adapter's properties, so a setting means the same in every home.
 *
 * <p>Each limit is one constant here, named after the key that changes it, with its default. The built-in limits
 * no key changes yet (write buffers, keepalive sweep, shared QoS 0 encoding, in-VM redelivery) are in
 * {@link Limits}.
 */
public final class BrokerConfig {

    /** {@code port}: the default listener's port, and the port of the local-only listener used without any. */
    public static final int DEFAULT_PORT = 1883;
    /** The address of the listener used when none is configured: local clients only, as in mosquitto 2. */
    public static final String LOCAL_ONLY_BIND_ADDRESS = "127.0.0.1";
    /**
     * {@code allow_anonymous} once a listener, port or password file is configured (mosquitto 2's rule); in
     * local-only mode (nothing configured) anonymous clients are allowed.
     */
    public static final boolean DEFAULT_ALLOW_ANONYMOUS = false;
    /** {@code max_qos}: the highest QoS granted. */
    public static final int DEFAULT_MAX_QOS = 2;
    /** {@code retain_available}: whether retained messages are supported. */
    public static final boolean DEFAULT_RETAIN_AVAILABLE = true;
    /** {@code queue_qos0_messages}: queue QoS 0 messages for offline persistent sessions (mosquitto: false). */
    public static final boolean DEFAULT_QUEUE_QOS0_MESSAGES = false;
    /** {@code persistence_fsync}: fsync each group commit. */
    public static final boolean DEFAULT_PERSISTENCE_FSYNC = true;
    /** {@code persistence_on_corruption}: {@code move_aside} (start empty) or {@code fail} (refuse to start). */
    public static final String DEFAULT_PERSISTENCE_ON_CORRUPTION = "move_aside";
    /** {@code max_inflight_messages}: QoS 1/2 messages sent to one client and not yet acknowledged. mosquitto: 20. */
    public static final int DEFAULT_MAX_INFLIGHT_MESSAGES = 20;
    /** {@code max_queued_messages}: messages waiting for one client beyond the inflight window. mosquitto: 1000. */
    public static final int DEFAULT_MAX_QUEUED_MESSAGES = 1000;
    /** {@code max_queued_bytes}: payload bytes waiting for one client; 0 means only the message count limits. */
    public static final long DEFAULT_MAX_QUEUED_BYTES = 0;
    /** The largest remaining length MQTT can express: what {@code message_size_limit 0} means. */
    public static final int MQTT_MAX_PACKET_SIZE = 268_435_455;
    /** {@code message_size_limit}: largest PUBLISH payload accepted, bytes; 0 means the protocol's maximum. */
    public static final int DEFAULT_MESSAGE_SIZE_LIMIT = 0;
    /**
     * Room besides a payload for every other field of a packet at its 65,535-byte maximum at once (issue 22): a
     * CONNECT with client id, will topic and payload, user name, password and MQTT 5 properties each that long is
     * about 0.8 MB; a PUBLISH's topic and properties fit too.
     */
    private static final int PUBLISH_OVERHEAD = 1 << 20;
    /** {@code max_connections}: concurrent client connections; -1 means unlimited, as in mosquitto. */
    public static final int DEFAULT_MAX_CONNECTIONS = -1;
    /**
     * {@code connect_timeout}: seconds from accepting a connection to its complete CONNECT; a connection that
     * sends nothing, or too little, is closed then. HiveMQ: 10 s; mosquitto has no such limit.
     */
    public static final int DEFAULT_CONNECT_TIMEOUT = 10;
    /**
     * {@code max_pending_connections}: connections accepted and still waiting for their CONNECT; more are closed
     * at accept. -1 means unlimited.
     */
    public static final int DEFAULT_MAX_PENDING_CONNECTIONS = 1000;
    /** {@code max_keepalive}: the longest keepalive, seconds, a client may ask for. mosquitto: 65535. */
    public static final int DEFAULT_MAX_KEEPALIVE = 65_535;
    /** {@code max_topic_alias}: topic aliases an MQTT 5 client may use towards the broker. mosquitto: 10. */
    public static final int DEFAULT_MAX_TOPIC_ALIAS = 10;
    /**
     * {@code max_queued_messages_total}: messages queued across all sessions, so that many offline sessions cannot
     * exhaust the heap; beyond it new messages for a queue are dropped and counted.
     */
    public static final long DEFAULT_MAX_QUEUED_MESSAGES_TOTAL = 2_000_000;
    /** {@code persistence}: WrenMQ is durable by default (unlike mosquitto, whose default is false). */
    public static final boolean DEFAULT_PERSISTENCE = true;
    /** {@code persistence_sync_interval}: ms the group commit waits to gather acknowledgements; 0 = at once. */
    public static final int DEFAULT_PERSISTENCE_SYNC_INTERVAL = 0;
    /** {@code sys_interval}: seconds between updates of the {@code $SYS/broker/...} topics; 0 disables them. */
    public static final int DEFAULT_SYS_INTERVAL = 10;
    /**
     * {@code io_threads}: event loops that serve connections; 0 (the default) means half the cores, at least one.
     * A message that crosses from its publisher's loop to a subscriber's costs a wake-up and a second
     * syscall batch; on 2 cores one loop did every benchmark workload with less CPU per delivery than two (see
     * docs/performance.md), and the other cores go to the store, the garbage collector and the clients.
     */
    public static final int DEFAULT_IO_THREADS = 0;
    /** {@code persistence_location}: where the store lives when {@code persistence true}. */
    public static final String DEFAULT_PERSISTENCE_LOCATION = "data";
    /** {@code http_listener PORT [ADDRESS]}: /metrics, /health and /ready are local-only unless an address is given. */
    public static final String DEFAULT_HTTP_BIND_ADDRESS = "127.0.0.1";
    /**
     * {@code http_listener.SETTING}: a TLS setting of the HTTP listener ({@code http_listener.certfile}, ...) where
     * no line order can say that it follows {@code http_listener}: Karaf's cfg file, the resource adapter.
     */
    public static final String HTTP_LISTENER_PREFIX = "http_listener.";
    /** {@code jmx_registration}: register the broker's MXBean in the platform MBean server (jconsole, Hawtio). */
    public static final boolean DEFAULT_JMX_REGISTRATION = true;

    private final List<ListenerConfig> listeners;
    private final List<BridgeConfig> bridges;
    private final boolean listenersConfigured;
    private final boolean perListenerSettings;
    private final Boolean allowAnonymous;
    private final Path passwordFile;
    private final Path aclFile;
    private final int maxInflightMessages;
    private final int maxQueuedMessages;
    private final long maxQueuedBytes;
    private final int messageSizeLimit;
    private final int maxConnections;
    private final int maxKeepalive;
    private final int connectTimeout;
    private final int maxPendingConnections;
    private final int maxTopicAlias;
    private final int maxQos;
    private final boolean retainAvailable;
    private final boolean queueQos0Messages;
    private final long maxQueuedMessagesTotal;
    private final int sysInterval;
    private final int ioThreads;
    private final boolean persistence;
    private final Path persistenceLocation;
    private final int persistenceSyncInterval;
    private final boolean persistenceFsync;
    private final boolean failOnCorruptStore;
    private final ListenerConfig httpListener;
    private final boolean jmxRegistration;
    private final ClusterConfig cluster;

    private BrokerConfig(Builder b) {
        this.listenersConfigured = !b.listeners.isEmpty() || b.defaultPort != null || b.defaultBindAddress != null
                || b.defaultListener != null;
        this.perListenerSettings = b.perListenerSettings;
        List<ListenerConfig> all = new ArrayList<>();
        if (b.defaultPort != null || b.defaultBindAddress != null || b.defaultListener != null) {
            ListenerBlock defaults = b.defaultListener != null ? b.defaultListener
                    : new ListenerBlock(DEFAULT_PORT, null, null);
            defaults.port(b.defaultPort == null ? DEFAULT_PORT : b.defaultPort);
            defaults.bindAddress(b.defaultBindAddress);
            all.add(defaults.build(b.perListenerSettings));
        }
        b.listeners.forEach(l -> all.add(l.build(b.perListenerSettings)));
        if (all.isEmpty()) {
            all.add(ListenerConfig.LOCAL_DEFAULT);
        }
        this.listeners = List.copyOf(all);
        this.bridges = buildBridges(b.bridges);
        this.allowAnonymous = b.allowAnonymous;
        this.passwordFile = b.passwordFile;
        this.aclFile = b.aclFile;
        this.maxInflightMessages = b.maxInflightMessages;
        this.maxQueuedMessages = b.maxQueuedMessages;
        this.maxQueuedBytes = b.maxQueuedBytes;
        this.messageSizeLimit = b.messageSizeLimit;
        this.maxConnections = b.maxConnections;
        this.maxKeepalive = b.maxKeepalive;
        this.connectTimeout = b.connectTimeout;
        this.maxPendingConnections = b.maxPendingConnections;
        this.maxTopicAlias = b.maxTopicAlias;
        this.maxQos = b.maxQos;
        this.retainAvailable = b.retainAvailable;
        this.queueQos0Messages = b.queueQos0Messages;
        this.maxQueuedMessagesTotal = b.maxQueuedMessagesTotal;
        this.sysInterval = b.sysInterval;
        this.ioThreads = b.ioThreads;
        this.persistence = b.persistence;
        this.persistenceLocation = b.persistenceLocation;
        this.persistenceSyncInterval = b.persistenceSyncInterval;
        this.persistenceFsync = b.persistenceFsync;
        this.failOnCorruptStore = b.failOnCorruptStore;
        this.httpListener = b.httpListener == null ? null : b.httpListener.build(false);
        this.jmxRegistration = b.jmxRegistration;
        this.cluster = b.cluster.build();
    }

    public static Builder builder() {
        return new Builder();
    }

    /** Reads a mosquitto-style config file; errors name the file and line. */
    public static BrokerConfig parse(Path confFile) {
        Builder b = builder();
        ConfigFileReader.read(confFile, (where, key, value) -> b.origin(where).set(key, value));
        return b.build();
    }

    /**
     * Reads the same keys from a map (OSGi Config Admin, resource adapter properties). Keys with a dot belong to
     * the hosting framework, DS (a reference's {@code NAME.target}) or tools ({@code felix.fileinstall.filename})
     * and are ignored: mosquitto's keys never contain one; {@code listener.NAME.SETTING} keys describe listener
     * blocks ({@link ListenerProperties}), {@code connection.NAME.SETTING} keys bridges ({@link BridgeProperties}),
     * {@code http_listener.SETTING} keys the TLS of {@code http_listener}.
     * A blank value means unset: configuration tools write
     * one for each described key without a default ({@code config:meta -c}).
     */
    public static BrokerConfig fromMap(Map<String, ?> properties) {
        Builder b = builder();
        properties.forEach((key, value) -> {
            String text = value instanceof String[] ? String.join(" ", (String[]) value) : String.valueOf(value);
            if (!key.contains(".") && value != null && !text.isBlank()) {
                b.set(key, text);
                b.settingsGoToHttpListener = false; // a map has no order: no key follows http_listener
            }
        });
        properties.forEach((key, value) -> {
            if (key.startsWith(HTTP_LISTENER_PREFIX) && value != null && !String.valueOf(value).isBlank()) {
                try {
                    b.origin(key).set(key, String.valueOf(value));
                } catch (ConfigException e) {
                    throw e.getMessage().contains(key) ? e
                            : new ConfigException(key + ": " + e.getMessage());
                }
            }
        });
        ListenerProperties.apply(properties, (where, key, value) -> b.origin(where).set(key, value));
        BridgeProperties.apply(properties, (where, key, value) -> b.origin(where).set(key, value));
        return b.build();
    }

    public List<ListenerConfig> listeners() { return listeners; }

    /** The {@code connection} blocks: bridges to other brokers (docs/bridges.md). */
    public List<BridgeConfig> bridges() { return bridges; }

    private static List<BridgeConfig> buildBridges(List<BridgeBlock> blocks) {
        List<BridgeConfig> out = new ArrayList<>();
        for (BridgeBlock block : blocks) {
            BridgeConfig c = block.build();
            for (BridgeConfig other : out) {
                if (other.localClientId().equals(c.localClientId())) {
                    throw block.invalid("local_clientid '" + c.localClientId() + "' is also connection "
                            + other.name() + "'s: set local_clientid for one of them");
                }
            }
            out.add(c);
        }
        return List.copyOf(out);
    }

    /**
     * {@code allow_anonymous}: as in mosquitto 2, anonymous clients are allowed by default only when no listener
     * is configured (the broker then listens on the loopback interface alone).
     */
    public boolean allowAnonymous() {
        if (allowAnonymous != null) {
            return allowAnonymous;
        }
        return listenersConfigured || passwordFile != null ? DEFAULT_ALLOW_ANONYMOUS : true;
    }

    public Path passwordFile() { return passwordFile; }
    /**
     * {@code per_listener_settings}: each listener has its own {@code allow_anonymous}, {@code password_file} and
     * {@code acl_file} ({@link ListenerConfig#security()}); otherwise those are broker-wide wherever they appear.
     */
    public boolean perListenerSettings() { return perListenerSettings; }
    /** {@code acl_file}: mosquitto's topic access rules; null for none (everything allowed). */
    public Path aclFile() { return aclFile; }
    public int maxInflightMessages() { return maxInflightMessages; }
    public int maxQueuedMessages() { return maxQueuedMessages; }
    public long maxQueuedBytes() { return maxQueuedBytes; }
    /** The payload limit in force, bytes: {@code message_size_limit}, or the protocol's maximum for 0. */
    public int messageSizeLimit() { return messageSizeLimit == 0 ? MQTT_MAX_PACKET_SIZE : messageSizeLimit; }
    /** The largest packet accepted at all: a PUBLISH with the largest payload allowed, topic and properties. */
    public int maxIncomingPacketSize() {
        return (int) Math.min(MQTT_MAX_PACKET_SIZE, (long) messageSizeLimit() + PUBLISH_OVERHEAD);
    }
    public int maxConnections() { return maxConnections; }
    public int maxKeepalive() { return maxKeepalive; }
    public int connectTimeout() { return connectTimeout; }
    public int maxPendingConnections() { return maxPendingConnections; }
    public int maxTopicAlias() { return maxTopicAlias; }
    public int maxQos() { return maxQos; }
    public boolean retainAvailable() { return retainAvailable; }
    public boolean queueQos0Messages() { return queueQos0Messages; }
    public long maxQueuedMessagesTotal() { return maxQueuedMessagesTotal; }
    public int sysInterval() { return sysInterval; }
    /** The number of event loops: {@code io_threads}, or half the cores (at least one) for 0. */
    public int ioThreads() {
        return ioThreads > 0 ? ioThreads : Math.max(1, Runtime.getRuntime().availableProcessors() / 2);
    }
    public boolean persistence() { return persistence; }
    public Path persistenceLocation() { return persistenceLocation; }
    public int persistenceSyncInterval() { return persistenceSyncInterval; }
    /** {@code persistence_fsync}: fsync each group commit (true), or leave it to the OS page cache (false). */
    public boolean persistenceFsync() { return persistenceFsync; }
    /** {@code persistence_on_corruption fail}: refuse to start on a corrupt store instead of moving it aside. */
    public boolean failOnCorruptStore() { return failOnCorruptStore; }
    /** {@code http_listener}: where /metrics, /health and /ready are served; null (the default) for nowhere. */
    public ListenerConfig httpListener() { return httpListener; }
    /** {@code jmx_registration}: whether the broker's MXBean is registered (docs/operations.md, JMX). */
    public boolean jmxRegistration() { return jmxRegistration; }
    /** {@code cluster_name} and the other cluster keys; null (the default) for a single node. */
    public ClusterConfig cluster() { return cluster; }

    /** Collects settings by key and value, checking each as it comes. */
    public static final class Builder {
        private final List<ListenerBlock> listeners = new ArrayList<>();
        /** The {@code connection} blocks; bridge settings go to the last one. */
        private final List<BridgeBlock> bridges = new ArrayList<>();
        /** The block listener settings go to: the last {@code listener} line's, or mosquitto's default listener. */
        private ListenerBlock currentListener;
        private ListenerBlock defaultListener;
        private boolean perListenerSettings;
        private boolean securitySettingSeen;
        private String origin;
        private Integer defaultPort;
        private String defaultBindAddress;
        private Boolean allowAnonymous;
        private Path passwordFile;
        private Path aclFile;
        private int maxInflightMessages = DEFAULT_MAX_INFLIGHT_MESSAGES;
        private int maxQueuedMessages = DEFAULT_MAX_QUEUED_MESSAGES;
        private long maxQueuedBytes = DEFAULT_MAX_QUEUED_BYTES;
        private int messageSizeLimit = DEFAULT_MESSAGE_SIZE_LIMIT;
        private int maxConnections = DEFAULT_MAX_CONNECTIONS;
        private int maxKeepalive = DEFAULT_MAX_KEEPALIVE;
        private int connectTimeout = DEFAULT_CONNECT_TIMEOUT;
        private int maxPendingConnections = DEFAULT_MAX_PENDING_CONNECTIONS;
        private int maxTopicAlias = DEFAULT_MAX_TOPIC_ALIAS;
        private int maxQos = DEFAULT_MAX_QOS;
        private boolean retainAvailable = DEFAULT_RETAIN_AVAILABLE;
        private boolean queueQos0Messages = DEFAULT_QUEUE_QOS0_MESSAGES;
        private long maxQueuedMessagesTotal = DEFAULT_MAX_QUEUED_MESSAGES_TOTAL;
        private int sysInterval = DEFAULT_SYS_INTERVAL;
        private int ioThreads = DEFAULT_IO_THREADS;
        private boolean persistence = DEFAULT_PERSISTENCE;
        private Path persistenceLocation = Path.of(DEFAULT_PERSISTENCE_LOCATION);
        private int persistenceSyncInterval = DEFAULT_PERSISTENCE_SYNC_INTERVAL;
        private boolean persistenceFsync = DEFAULT_PERSISTENCE_FSYNC;
        private boolean failOnCorruptStore = corruptionPolicy("persistence_on_corruption",
                DEFAULT_PERSISTENCE_ON_CORRUPTION);
        /** {@code http_listener} and the TLS settings that follow it (until the next {@code listener} line). */
        private ListenerBlock httpListener;
        private boolean settingsGoToHttpListener;
        private boolean jmxRegistration = DEFAULT_JMX_REGISTRATION;
        private final ClusterConfig.Builder cluster = new ClusterConfig.Builder();

        private Builder() {
        }

        /**
         * Applies one setting. {@code value} is the rest of the config line, trimmed.
         *
         * @throws ConfigException naming what is wrong with the key or value
         */
        public Builder set(String key, String value) {
            Objects.requireNonNull(key, "key");
            String v = Objects.requireNonNull(value, "value").trim();
            if (key.equals("connection") || BridgeBlock.KEYS.contains(key)) {
                bridgeSetting(key, v);
                return this;
            }
            if (key.startsWith(HTTP_LISTENER_PREFIX)) {
                httpListenerSetting(key.substring(HTTP_LISTENER_PREFIX.length()), v);
                return this;
            }
            if (settingsGoToHttpListener && ListenerBlock.KEYS.contains(key)) {
                httpListener.setForHttp(key, v);
                return this;
            }
            if (ListenerBlock.KEYS.contains(key) || (key.equals("max_connections") && currentListener != null)
                    || (perListenerSettings && ListenerConfig.ListenerSecurity.KEYS.contains(key))) {
                listenerForSettings().set(key, v);
                return this;
            }
            if (ListenerConfig.ListenerSecurity.KEYS.contains(key)) {
                securitySettingSeen = true;
            }
            if (ClusterConfig.KEYS.contains(key)) {
                cluster.set(origin, key, v);
                return this;
            }
            switch (key) {
                case "per_listener_settings": perListenerSettings(bool(key, v)); break;
                case "listener": listener(v); break;
                case "http_listener": httpListener(listenerAddress(key, v, DEFAULT_HTTP_BIND_ADDRESS)); break;
                case "port": defaultPort = port(key, v); break;
                case "bind_address": defaultBindAddress = nonEmpty(key, v); break;
                case "allow_anonymous": allowAnonymous = bool(key, v); break;
                case "password_file": passwordFile = path(key, v); break;
                case "acl_file": aclFile = path(key, v); break;
                case "max_inflight_messages": maxInflightMessages = integer(key, v, 1, 65_535); break;
                case "max_queued_messages": maxQueuedMessages = integer(key, v, 0, Integer.MAX_VALUE); break;
                case "max_queued_bytes": maxQueuedBytes = longValue(key, v, 0, Long.MAX_VALUE); break;
                case "message_size_limit": messageSizeLimit = integer(key, v, 0, MQTT_MAX_PACKET_SIZE); break;
                case "max_connections": maxConnections = integer(key, v, -1, Integer.MAX_VALUE); break;
                case "max_keepalive": maxKeepalive = integer(key, v, 10, 65_535); break;
                case "connect_timeout": connectTimeout = integer(key, v, 1, 3600); break;
                case "max_pending_connections":
                    maxPendingConnections = nonZero(key, integer(key, v, -1, Integer.MAX_VALUE));
                    break;
                case "max_topic_alias": maxTopicAlias = integer(key, v, 0, 65_535); break;
                case "max_qos": maxQos = integer(key, v, 0, 2); break;
                case "retain_available": retainAvailable = bool(key, v); break;
                case "queue_qos0_messages": queueQos0Messages = bool(key, v); break;
                case "persistence": persistence = bool(key, v); break;
                case "max_queued_messages_total":
                    maxQueuedMessagesTotal = longValue(key, v, 1, Long.MAX_VALUE);
                    break;
                case "sys_interval": sysInterval = integer(key, v, 0, 86_400); break;
                case "io_threads": ioThreads = integer(key, v, 0, 1024); break;
                case "persistence_location": persistenceLocation = path(key, v); break;
                case "persistence_sync_interval": persistenceSyncInterval = integer(key, v, 0, 10_000); break;
                case "persistence_fsync": persistenceFsync = bool(key, v); break;
                case "persistence_on_corruption": failOnCorruptStore = corruptionPolicy(key, v); break;
                case "jmx_registration": jmxRegistration = bool(key, v); break;
                default: throw new ConfigException("unknown setting '" + key + "'");
            }
            return this;
        }

        /** Adds a listener; port 0 picks a free port. Listener settings {@link #set} next apply to it. */
        public Builder listener(int port, String bindAddress) {
            if (port < 0 || port > 65_535) {
                throw new ConfigException("port must be 0..65535, not " + port);
            }
            currentListener = new ListenerBlock(port, bindAddress, origin);
            listeners.add(currentListener);
            settingsGoToHttpListener = false;
            return this;
        }

        /** {@code http_listener}: the TLS settings ({@code certfile}, {@code keyfile}, ...) that follow apply to it. */
        private void httpListener(ListenerConfig address) {
            httpListener = new ListenerBlock(address.port(), address.bindAddress(), origin);
            settingsGoToHttpListener = true;
        }

        /** {@code http_listener.SETTING}: one of the TLS settings {@code http_listener} may have, given apart. */
        private void httpListenerSetting(String key, String v) {
            if (!ListenerBlock.KEYS.contains(key)) {
                throw new ConfigException("unknown setting '" + HTTP_LISTENER_PREFIX + key + "'");
            }
            if (httpListener == null) {
                throw new ConfigException(HTTP_LISTENER_PREFIX + key + " needs http_listener (PORT [ADDRESS])");
            }
            httpListener.setForHttp(key, v);
        }

        /** Where the settings that follow come from ({@code FILE:LINE}), for errors found only when building. */
        public Builder origin(String where) {
            this.origin = where;
            return this;
        }

        private void bridgeSetting(String key, String v) {
            if (key.equals("connection")) {
                BridgeBlock block = new BridgeBlock(v, origin);
                if (bridges.stream().anyMatch(b -> b.name().equals(v))) {
                    throw new ConfigException("connection " + v + " is given twice (bridge names are unique)");
                }
                bridges.add(block);
            } else if (bridges.isEmpty()) {
                throw new ConfigException(key + " is a bridge setting: it belongs after a 'connection NAME' line");
            } else {
                bridges.get(bridges.size() - 1).set(key, v);
            }
        }

        private ListenerBlock listenerForSettings() {
            if (currentListener == null) {
                if (defaultListener == null) {
                    defaultListener = new ListenerBlock(ListenerConfig.DEFAULT_PORT, null, origin);
                }
                return defaultListener;
            }
            return currentListener;
        }

        private void perListenerSettings(boolean on) {
            if (on && securitySettingSeen) {
                throw new ConfigException("per_listener_settings must come before allow_anonymous, password_file "
                        + "and acl_file");
            }
            perListenerSettings = on;
        }

        public BrokerConfig build() {
            return new BrokerConfig(this);
        }

        private void listener(String v) {
            ListenerConfig address = listenerAddress("listener", v, null);
            listener(address.port(), address.bindAddress());
        }

        private static ListenerConfig listenerAddress(String key, String v, String defaultBindAddress) {
            String[] parts = v.split("\\s+");
            if (v.isEmpty() || parts.length > 2) {
                throw new ConfigException(key + " takes PORT [ADDRESS], not '" + v + "'");
            }
            return new ListenerConfig(port(key, parts[0]), parts.length == 2 ? parts[1] : defaultBindAddress);
        }

        private static int port(String key, String v) {
            return integer(key, v, 0, 65_535);
        }

        private static int nonZero(String key, int n) {
            if (n == 0) {
                throw new ConfigException(key + " must be -1 (unlimited) or at least 1, not 0");
            }
            return n;
        }

        private static Path path(String key, String v) {
            return ConfigValues.path(key, v);
        }

        private static boolean corruptionPolicy(String key, String v) {
            switch (v) {
                case "fail": return true;
                case "move_aside": return false;
                default: throw new ConfigException(key + " must be move_aside or fail, not '" + v + "'");
            }
        }

    }
}
