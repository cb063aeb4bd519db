package org.wrenmq.broker.osgi;

import static org.wrenmq.broker.BrokerConfig.DEFAULT_CONNECT_TIMEOUT;
import static org.wrenmq.broker.BrokerConfig.DEFAULT_MAX_PENDING_CONNECTIONS;
import static org.wrenmq.broker.BrokerConfig.DEFAULT_ALLOW_ANONYMOUS;
import static org.wrenmq.broker.BrokerConfig.DEFAULT_IO_THREADS;
import static org.wrenmq.broker.BrokerConfig.DEFAULT_JMX_REGISTRATION;
import static org.wrenmq.broker.BrokerConfig.DEFAULT_MAX_CONNECTIONS;
import static org.wrenmq.broker.BrokerConfig.DEFAULT_MAX_INFLIGHT_MESSAGES;
import static org.wrenmq.broker.BrokerConfig.DEFAULT_MAX_KEEPALIVE;
import static org.wrenmq.broker.BrokerConfig.DEFAULT_MAX_QOS;
import static org.wrenmq.broker.BrokerConfig.DEFAULT_MAX_QUEUED_BYTES;
import static org.wrenmq.broker.BrokerConfig.DEFAULT_MAX_QUEUED_MESSAGES;
import static org.wrenmq.broker.BrokerConfig.DEFAULT_MAX_QUEUED_MESSAGES_TOTAL;
import static org.wrenmq.broker.BrokerConfig.DEFAULT_MAX_TOPIC_ALIAS;
import static org.wrenmq.broker.BrokerConfig.DEFAULT_MESSAGE_SIZE_LIMIT;
import static org.wrenmq.broker.BrokerConfig.DEFAULT_PERSISTENCE;
import static org.wrenmq.broker.BrokerConfig.DEFAULT_PERSISTENCE_FSYNC;
import static org.wrenmq.broker.BrokerConfig.DEFAULT_PERSISTENCE_ON_CORRUPTION;
import static org.wrenmq.broker.BrokerConfig.DEFAULT_PERSISTENCE_SYNC_INTERVAL;
import static org.wrenmq.broker.BrokerConfig.DEFAULT_PORT;
import static org.wrenmq.broker.BrokerConfig.DEFAULT_QUEUE_QOS0_MESSAGES;
import static org.wrenmq.broker.BrokerConfig.DEFAULT_RETAIN_AVAILABLE;
import static org.wrenmq.broker.BrokerConfig.DEFAULT_SYS_INTERVAL;

import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.AttributeType;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;
import org.osgi.service.metatype.annotations.Option;
import org.wrenmq.broker.ClusterConfig;

/**
 * The metatype description of pid {@code org.wrenmq.broker}: what Config Admin tools (Karaf's {@code config:*},
 * the web console) show. The keys are the standalone config file's (mosquitto's names); a double underscore in a
 * method name stands for the underscore in the key. Every other key of the config file is accepted too: the
 * component hands the whole configuration to {@link org.wrenmq.broker.BrokerConfig#fromMap}.
 *
 * <p>The defaults are {@link org.wrenmq.broker.BrokerConfig}'s constants, so a configuration created from this
 * description ({@code config:meta -c}) behaves as one that leaves the keys out; {@code ConfigDefaultsTests}
 * checks every default against them.
 */
@ObjectClassDefinition(id = BrokerComponent.PID, name = "WrenMQ broker",
        description = "The MQTT broker. Keys and meanings as in the standalone wrenmq.conf (mosquitto's names); "
                + "see docs/configuration.md.")
@interface BrokerConfiguration {

    @AttributeDefinition(name = "port", description = "TCP port of the default listener.", min = "0", max = "65535")
    int port() default DEFAULT_PORT;

    @AttributeDefinition(name = "bind_address", description = "Address the default listener binds to; "
            + "unset for every interface.", required = false)
    String bind__address();

    @AttributeDefinition(name = "allow_anonymous", description = "Accept clients that send no user name "
            + "(as in mosquitto 2, off unless set once a port is configured).")
    boolean allow__anonymous() default DEFAULT_ALLOW_ANONYMOUS;

    @AttributeDefinition(name = "password_file", description = "mosquitto_passwd file of user names and "
            + "password hashes (wrenmq passwd writes one).", required = false)
    String password__file();

    @AttributeDefinition(name = "acl_file", description = "mosquitto acl_file of topic rights per user "
            + "(topic, user, pattern lines); unset: every client may use every topic.", required = false)
    String acl__file();

    @AttributeDefinition(name = "jaas_realm", description = "JAAS realm of the container that checks MQTT user "
            + "names and passwords instead of a password_file, e.g. karaf (etc/users.properties); the user's "
            + "roles and groups select the acl_file's 'role NAME' blocks.", required = false)
    String jaas__realm();

    @AttributeDefinition(name = "max_inflight_messages", description = "QoS 1/2 messages sent to one client "
            + "and not yet acknowledged.", min = "1", max = "65535")
    int max__inflight__messages() default DEFAULT_MAX_INFLIGHT_MESSAGES;

    @AttributeDefinition(name = "max_queued_messages", description = "Messages waiting for one client beyond "
            + "the inflight window.", min = "0")
    int max__queued__messages() default DEFAULT_MAX_QUEUED_MESSAGES;

    @AttributeDefinition(name = "max_queued_bytes", description = "Payload bytes waiting for one client; "
            + "0 for no byte limit.", min = "0")
    long max__queued__bytes() default DEFAULT_MAX_QUEUED_BYTES;

    @AttributeDefinition(name = "max_queued_messages_total", description = "Messages queued across all "
            + "sessions.", min = "1")
    long max__queued__messages__total() default DEFAULT_MAX_QUEUED_MESSAGES_TOTAL;

    @AttributeDefinition(name = "queue_qos0_messages", description = "Queue QoS 0 messages for offline "
            + "persistent sessions.")
    boolean queue__qos0__messages() default DEFAULT_QUEUE_QOS0_MESSAGES;

    @AttributeDefinition(name = "message_size_limit", description = "Largest PUBLISH payload in bytes; "
            + "0 for the protocol's maximum.", min = "0", max = "268435455")
    int message__size__limit() default DEFAULT_MESSAGE_SIZE_LIMIT;

    @AttributeDefinition(name = "max_connections", description = "Concurrent client connections; -1 for no "
            + "limit.", min = "-1")
    int max__connections() default DEFAULT_MAX_CONNECTIONS;

    @AttributeDefinition(name = "max_keepalive", description = "Longest keepalive in seconds a client may ask for.",
            min = "10", max = "65535")
    int max__keepalive() default DEFAULT_MAX_KEEPALIVE;

    @AttributeDefinition(name = "max_qos", description = "Highest QoS granted.", min = "0", max = "2")
    int max__qos() default DEFAULT_MAX_QOS;

    @AttributeDefinition(name = "retain_available", description = "Whether retained messages are supported.")
    boolean retain__available() default DEFAULT_RETAIN_AVAILABLE;

    @AttributeDefinition(name = "max_topic_alias", description = "Topic aliases an MQTT 5 client may use "
            + "towards the broker.", min = "0", max = "65535")
    int max__topic__alias() default DEFAULT_MAX_TOPIC_ALIAS;

    @AttributeDefinition(name = "sys_interval", description = "Seconds between updates of the $SYS topics; "
            + "0 turns them off.", min = "0", max = "86400")
    int sys__interval() default DEFAULT_SYS_INTERVAL;

    @AttributeDefinition(name = "io_threads", description = "Event loops serving connections; 0 for half the "
            + "cores (at least one).", min = "0", max = "1024")
    int io__threads() default DEFAULT_IO_THREADS;

    @AttributeDefinition(name = "connect_timeout", description = "Seconds from accepting a connection to its "
            + "complete CONNECT; slower connections are closed.", min = "1", max = "3600")
    int connect__timeout() default DEFAULT_CONNECT_TIMEOUT;

    @AttributeDefinition(name = "max_pending_connections", description = "Connections accepted and still "
            + "waiting for their CONNECT; more are refused at accept. -1 for no limit.", min = "-1")
    int max__pending__connections() default DEFAULT_MAX_PENDING_CONNECTIONS;

    @AttributeDefinition(name = "persistence",
            description = "Keep persistent sessions, retained and QoS 1/2 messages on disk.")
    boolean persistence() default DEFAULT_PERSISTENCE;

    @AttributeDefinition(name = "http_listener", description = "PORT [ADDRESS] of the HTTP listener that serves "
            + "/metrics (Prometheus), /health and /ready; on 127.0.0.1 unless an address is given. Unset: none.",
            required = false)
    String http__listener();

    @AttributeDefinition(name = "http_listener.certfile", description = "PEM certificate (chain) of the HTTP "
            + "listener: with http_listener.keyfile it serves HTTPS only. Unset: plain HTTP.", required = false)
    String http__listener_certfile();

    @AttributeDefinition(name = "http_listener.keyfile", description = "PEM private key of "
            + "http_listener.certfile.", required = false)
    String http__listener_keyfile();

    @AttributeDefinition(name = "jmx_registration", description = "Register the broker's MXBean (org.wrenmq:"
            + "type=Broker) in the platform MBean server, which Hawtio and jconsole show.")
    boolean jmx__registration() default DEFAULT_JMX_REGISTRATION;

    @AttributeDefinition(name = "persistence_location", description = "Directory of the store; by default the "
            + "broker bundle's data area.", type = AttributeType.STRING, required = false)
    String persistence__location();

    @AttributeDefinition(name = "persistence_sync_interval", description = "Milliseconds the group commit waits "
            + "to gather acknowledgements; 0 commits at once.", min = "0", max = "10000")
    int persistence__sync__interval() default DEFAULT_PERSISTENCE_SYNC_INTERVAL;

    @AttributeDefinition(name = "persistence_fsync", description = "fsync each group commit (false: leave it to "
            + "the OS page cache).")
    boolean persistence__fsync() default DEFAULT_PERSISTENCE_FSYNC;

    @AttributeDefinition(name = "persistence_on_corruption", description = "What to do with a store that cannot "
            + "be read.", options = {
                @Option(value = "move_aside", label = "move it aside and start empty"),
                @Option(value = "fail", label = "refuse to start")})
    String persistence__on__corruption() default DEFAULT_PERSISTENCE_ON_CORRUPTION;

    @AttributeDefinition(name = "cluster_name", description = "Turns clustering on (Hazelcast): nodes with the same "
            + "name form one cluster. Unset: a single broker.", required = false)
    String cluster__name();

    @AttributeDefinition(name = "cluster_listener", description = "PORT [ADDRESS] of this node's cluster member; "
            + "5701 on 127.0.0.1 unless given.", required = false)
    String cluster__listener();

    @AttributeDefinition(name = "cluster_members", description = "HOST:PORT[,HOST:PORT...] of the other nodes "
            + "(static TCP/IP join; no multicast).", required = false)
    String cluster__members();

    @AttributeDefinition(name = "cluster_backup_count", description = "Synchronous copies of each cluster map "
            + "entry (retained messages, client ids, subscriptions) on other nodes.", min = "0", max = "6")
    int cluster__backup__count() default ClusterConfig.DEFAULT_BACKUP_COUNT;

    @AttributeDefinition(name = "cluster_max_inflight_messages", description = "Messages this node may have sent to "
            + "another node that it has not reported routed; beyond, publishers sending there are paused.",
            min = "2", max = "100000")
    int cluster__max__inflight__messages() default ClusterConfig.DEFAULT_MAX_INFLIGHT_MESSAGES;
}
