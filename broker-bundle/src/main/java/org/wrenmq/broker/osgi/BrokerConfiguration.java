package org.wrenmq.broker.osgi;

import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.AttributeType;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;

/**
 * The metatype description of pid {@code org.wrenmq.broker}: what Config Admin tools (Karaf's {@code config:*},
 * the web console) show. The keys are the standalone config file's (mosquitto's names); a double underscore in a
 * method name stands for the underscore in the key. Every other key of the config file is accepted too: the
 * component hands the whole configuration to {@link org.wrenmq.broker.BrokerConfig#fromMap}.
 */
@ObjectClassDefinition(id = BrokerComponent.PID, name = "WrenMQ broker",
        description = "The MQTT broker. Keys and meanings as in the standalone wrenmq.conf (mosquitto's names).")
@interface BrokerConfiguration {

    @AttributeDefinition(name = "port", description = "TCP port of the default listener.", min = "0", max = "65535")
    int port() default 1883;

    @AttributeDefinition(name = "bind_address", description = "Address the default listener binds to; "
            + "unset for every interface.", required = false)
    String bind__address();

    @AttributeDefinition(name = "allow_anonymous", description = "Accept clients that send no user name "
            + "(as in mosquitto 2, off unless set once a port is configured).")
    boolean allow__anonymous() default false;

    @AttributeDefinition(name = "password_file", description = "mosquitto_passwd file of user names and "
            + "password hashes.", required = false)
    String password__file();

    @AttributeDefinition(name = "max_inflight_messages", description = "QoS 1/2 messages sent to one client "
            + "and not yet acknowledged.", min = "1", max = "65535")
    int max__inflight__messages() default 20;

    @AttributeDefinition(name = "max_queued_messages", description = "Messages waiting for one client beyond "
            + "the inflight window.", min = "0")
    int max__queued__messages() default 1000;

    @AttributeDefinition(name = "message_size_limit", description = "Largest PUBLISH payload in bytes; "
            + "0 for the protocol's maximum.", min = "0")
    int message__size__limit() default 0;

    @AttributeDefinition(name = "max_connections", description = "Concurrent client connections; -1 for no "
            + "limit.", min = "-1")
    int max__connections() default -1;

    @AttributeDefinition(name = "max_keepalive", description = "Longest keepalive in seconds a client may ask for.",
            min = "10", max = "65535")
    int max__keepalive() default 65535;

    @AttributeDefinition(name = "persistence",
            description = "Keep persistent sessions, retained and QoS 1/2 messages on disk.")
    boolean persistence() default false;

    @AttributeDefinition(name = "http_listener", description = "PORT [ADDRESS] of the HTTP listener that serves "
            + "/metrics (Prometheus), /health and /ready; on 127.0.0.1 unless an address is given. Unset: none.",
            required = false)
    String http__listener();

    @AttributeDefinition(name = "persistence_location", description = "Directory of the store; by default the "
            + "broker bundle's data area.", type = AttributeType.STRING, required = false)
    String persistence__location();
}
