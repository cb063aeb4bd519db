package org.wrenmq.broker;

import java.math.BigInteger;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.wrenmq.broker.config.ConfigFileReader;

/**
 * Bridges in a flat map (Karaf's {@code etc/org.wrenmq.broker.cfg}, Config Admin), in the style of
 * {@link ListenerProperties}: {@code connection.NAME.SETTING = value}, SETTING being a key of the
 * {@code connection} block. {@code topic} repeats: give an array, or number the keys
 * ({@code connection.NAME.topic.1}, {@code .topic.2}, applied in the numbers' order: {@code topic.10} after
 * {@code topic.9}). Bridges are added in NAME order.
 * <pre>
 * connection.cloud.address = cloud.example.com:8883
 * connection.cloud.topic.1 = sensors/# out 1 "" edge1/
 * connection.cloud.topic.2 = cmd/# in 1 "" edge1/
 * connection.cloud.bridge_cafile = /etc/wrenmq/ca.crt
 * </pre>
 */
final class BridgeProperties {
    public static final String PREFIX = "connection.";

    private BridgeProperties() {
    }

    /** Adds the bridges described by {@code connection.*} keys. */
    static void apply(Map<String, ?> properties, ConfigFileReader.Settings into) {
        Map<String, Map<String, List<String>>> byName = new TreeMap<>();
        Map<String, Object> inKeyOrder = new TreeMap<>(BridgeProperties::compareKeys);
        inKeyOrder.putAll(properties);
        inKeyOrder.forEach((key, value) -> {
            if (!key.startsWith(PREFIX) || value == null) {
                return;
            }
            String rest = key.substring(PREFIX.length());
            int dot = rest.indexOf('.');
            if (dot <= 0 || dot == rest.length() - 1) {
                throw new ConfigException(key + ": bridge keys are connection.NAME.SETTING");
            }
            String name = rest.substring(0, dot);
            String setting = rest.substring(dot + 1);
            int ordinal = setting.indexOf('.');
            String bare = ordinal < 0 ? setting : setting.substring(0, ordinal);
            List<String> values = byName.computeIfAbsent(name, n -> new TreeMap<>())
                    .computeIfAbsent(bare, s -> new ArrayList<>());
            for (Object v : value instanceof Object[] ? (Object[]) value : new Object[] {value}) {
                if (!String.valueOf(v).isBlank()) {
                    values.add(String.valueOf(v).trim());
                }
            }
        });
        byName.forEach((name, settings) -> {
            String where = PREFIX + name;
            try {
                into.set(where, "connection", name);
                settings.forEach((key, values) -> values.forEach(v -> into.set(where, key, v)));
            } catch (ConfigException e) {
                throw new ConfigException(where + ": " + e.getMessage());
            }
        });
    }

    /**
     * Dot-separated parts one by one: numbers by value (so {@code topic.10} follows {@code topic.9}: Config Admin
     * keeps no order, the numbers give it), before any other text, which goes in text order.
     */
    private static int compareKeys(String a, String b) {
        String[] x = a.split("\\.", -1);
        String[] y = b.split("\\.", -1);
        for (int i = 0; i < Math.min(x.length, y.length); i++) {
            int c = comparePart(x[i], y[i]);
            if (c != 0) {
                return c;
            }
        }
        return Integer.compare(x.length, y.length);
    }

    private static int comparePart(String x, String y) {
        boolean numberX = isNumber(x);
        boolean numberY = isNumber(y);
        if (numberX && numberY) {
            int c = new BigInteger(x).compareTo(new BigInteger(y));
            return c != 0 ? c : x.compareTo(y);
        }
        return numberX != numberY ? (numberX ? -1 : 1) : x.compareTo(y);
    }

    private static boolean isNumber(String s) {
        return !s.isEmpty() && s.chars().allMatch(c -> c >= '0' && c <= '9');
    }
}
