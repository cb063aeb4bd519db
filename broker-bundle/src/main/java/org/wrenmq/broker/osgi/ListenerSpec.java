package org.wrenmq.broker.osgi;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import org.osgi.framework.Constants;
import org.wrenmq.api.MqttListenerProperties;
import org.wrenmq.api.QoS;

/**
 * What one {@code MqttMessageListener} service asked for in its service properties, and the in-VM session that
 * serves it.
 *
 * <p>A listener with a stable identity ({@code service.pid}, or the {@code component.name} of a DS component) gets
 * a persistent session named after it: messages that arrive while it is away (bundle update, broker restart on a
 * configuration change) wait for it. Any other listener gets a clean session that lives as long as the service.
 *
 * @param topicFilters the filters as subscribed, with the {@code $share/GROUP/} prefix when a group is set
 */
record ListenerSpec(List<String> topicFilters, QoS qos, String clientId, boolean persistent) {

    /** {@code qos} when the listener sets none: at least once, the point of a whiteboard listener. */
    static final QoS DEFAULT_QOS = QoS.AT_LEAST_ONCE;
    static final String CLIENT_ID_PREFIX = "wrenmq-osgi:";

    ListenerSpec {
        topicFilters = List.copyOf(topicFilters);
    }

    /** @throws IllegalArgumentException when the properties name no topic filter or a bad QoS */
    static ListenerSpec from(Map<String, ?> properties) {
        List<String> filters = strings(properties.get(MqttListenerProperties.TOPIC_FILTER));
        if (filters.isEmpty()) {
            throw new IllegalArgumentException("service property " + MqttListenerProperties.TOPIC_FILTER
                    + " names no topic filter");
        }
        Object group = properties.get(MqttListenerProperties.SHARE_GROUP);
        if (group != null && !group.toString().isBlank()) {
            filters = filters.stream().map(f -> "$share/" + group.toString().trim() + "/" + f).toList();
        }
        Object qos = properties.get(MqttListenerProperties.QOS);
        QoS level = qos == null ? DEFAULT_QOS : QoS.of(Integer.parseInt(qos.toString().trim()));

        String identity = firstString(properties.get(Constants.SERVICE_PID));
        if (identity == null) {
            identity = firstString(properties.get("component.name"));
        }
        return identity != null
                ? new ListenerSpec(filters, level, CLIENT_ID_PREFIX + identity, true)
                : new ListenerSpec(filters, level, CLIENT_ID_PREFIX + "service-"
                        + properties.get(Constants.SERVICE_ID), false);
    }

    /** A String (comma separated), a String[] or a collection of strings, as OSGi service properties allow. */
    private static List<String> strings(Object value) {
        Collection<?> items;
        if (value == null) {
            items = List.of();
        } else if (value instanceof Object[] array) {
            items = Arrays.asList(array);
        } else if (value instanceof Collection<?> collection) {
            items = collection;
        } else {
            items = List.of(value);
        }
        List<String> result = new ArrayList<>();
        for (Object item : items) {
            for (String part : item.toString().split(",")) {
                if (!part.isBlank()) {
                    result.add(part.trim());
                }
            }
        }
        return result;
    }

    private static String firstString(Object value) {
        List<String> all = strings(value);
        return all.isEmpty() ? null : all.get(0);
    }
}
