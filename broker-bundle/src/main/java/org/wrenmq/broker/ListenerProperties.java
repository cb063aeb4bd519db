package org.wrenmq.broker;

import java.util.Map;
import java.util.TreeMap;
import org.wrenmq.broker.config.ConfigFileReader;

/**
 * Listener blocks in a flat map (Karaf's {@code etc/org.wrenmq.broker.cfg}, Config Admin), where a file's order
 * cannot say which listener a setting follows: {@code listener.NAME.SETTING = value}, one NAME per listener.
 * {@code listener.NAME.port} is required; {@code listener.NAME.bind_address} is optional; every other SETTING is a
 * listener setting of the config file ({@code protocol}, {@code certfile}, ...). Listeners are added in NAME order.
 * <pre>
 * listener.tls.port = 8883
 * listener.tls.certfile = /etc/wrenmq/server.crt
 * listener.tls.keyfile = /etc/wrenmq/server.key
 * listener.web.port = 9001
 * listener.web.protocol = websockets
 * </pre>
 */
final class ListenerProperties {
    public static final String PREFIX = "listener.";

    private ListenerProperties() {
    }

    /** Adds the listeners described by {@code listener.*} keys; call after the broker-wide keys are set. */
    static void apply(Map<String, ?> properties, ConfigFileReader.Settings into) {
        Map<String, Map<String, String>> byName = new TreeMap<>();
        properties.forEach((key, value) -> {
            if (!key.startsWith(PREFIX) || value == null || String.valueOf(value).isBlank()) {
                return;
            }
            String rest = key.substring(PREFIX.length());
            int dot = rest.indexOf('.');
            if (dot <= 0 || dot == rest.length() - 1) {
                throw new ConfigException(key + ": listener keys are listener.NAME.SETTING");
            }
            byName.computeIfAbsent(rest.substring(0, dot), n -> new TreeMap<>())
                    .put(rest.substring(dot + 1), String.valueOf(value).trim());
        });
        byName.forEach((name, settings) -> {
            String where = PREFIX + name;
            String port = settings.remove("port");
            if (port == null) {
                throw new ConfigException(where + ".port is missing");
            }
            String bind = settings.remove("bind_address");
            try {
                into.set(where, "listener", bind == null ? port : port + " " + bind);
                settings.forEach((key, value) -> into.set(where, key, value));
            } catch (ConfigException e) {
                throw new ConfigException(where + ": " + e.getMessage());
            }
        });
    }
}
