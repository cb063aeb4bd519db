package org.wrenmq.broker;

/**
 * One listening socket: {@code listener PORT [ADDRESS]} in the config file.
 * A null bind address means every interface, as in mosquitto.
 */
public record ListenerConfig(int port, String bindAddress) {

    /** mosquitto 2's safe default when no listener is configured: local clients only. */
    public static final ListenerConfig LOCAL_DEFAULT = new ListenerConfig(BrokerConfig.DEFAULT_PORT,
            BrokerConfig.LOCAL_ONLY_BIND_ADDRESS);

    public ListenerConfig {
        if (port < 0 || port > 65535) {
            throw new ConfigException("port must be 0..65535, not " + port);
        }
    }

    @Override
    public String toString() {
        return (bindAddress == null ? "0.0.0.0" : bindAddress) + ":" + port;
    }
}
