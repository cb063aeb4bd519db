package org.wrenmq.broker;

import java.nio.file.Path;
import java.util.Set;

/**
 * One listening socket and how connections to it are carried: a {@code listener PORT [ADDRESS]} block of the
 * config file with the settings that follow it. A null bind address means every interface, as in mosquitto.
 *
 * @param protocol      {@code protocol mqtt|websockets}
 * @param tls           the TLS settings, or null for a plain listener
 * @param maxConnections {@code max_connections} inside the block: this listener's own limit (-1: none)
 * @param socketDomain  {@code socket_domain ipv4|ipv6}, or null for whatever the address resolves to
 * @param security      {@code allow_anonymous}, {@code password_file}, {@code acl_file} of this listener under
 *                      {@code per_listener_settings true}; null when the broker-wide settings apply
 */
public record ListenerConfig(int port, String bindAddress, Protocol protocol, ListenerTls tls, int maxConnections,
                             SocketDomain socketDomain, ListenerSecurity security) {

    /** mosquitto 2's safe default when no listener is configured: local clients only. */
    public static final ListenerConfig LOCAL_DEFAULT = new ListenerConfig(BrokerConfig.DEFAULT_PORT,
            BrokerConfig.LOCAL_ONLY_BIND_ADDRESS);
    /** The port of a listener made by listener settings given before any {@code listener} line, as in mosquitto. */
    public static final int DEFAULT_PORT = BrokerConfig.DEFAULT_PORT;

    public enum Protocol { MQTT, WEBSOCKETS }

    public enum SocketDomain { IPV4, IPV6 }

    public ListenerConfig {
        if (port < 0 || port > 65535) {
            throw new ConfigException("port must be 0..65535, not " + port);
        }
    }

    /** A plain MQTT listener. */
    public ListenerConfig(int port, String bindAddress) {
        this(port, bindAddress, Protocol.MQTT, null, -1, null, null);
    }

    public boolean isTls() {
        return tls != null;
    }

    /** How operators and the log name this listener: {@code 0.0.0.0:8883 (mqtt, tls)}. */
    public String describe() {
        return this + " (" + protocol.name().toLowerCase() + (tls == null ? "" : ", tls"
                + (tls.requireCertificate() ? ", client certificates" : "")) + ")";
    }

    @Override
    public String toString() {
        return (bindAddress == null ? "0.0.0.0" : bindAddress) + ":" + port;
    }

    /** {@code allow_anonymous}, {@code password_file} and {@code acl_file} of one listener; null fields are unset. */
    public record ListenerSecurity(Boolean allowAnonymous, Path passwordFile, Path aclFile) {
        /** The keys that {@code per_listener_settings true} makes per listener. */
        public static final Set<String> KEYS = Set.of("allow_anonymous", "password_file", "acl_file");

        /** As mosquitto 2: anonymous clients only when allowed, since a listener is configured. */
        public boolean anonymousAllowed() {
            return allowAnonymous != null && allowAnonymous;
        }
    }
}
