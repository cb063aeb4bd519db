package org.wrenmq.broker.cluster;

import java.util.UUID;

/**
 * One node's subscription filter in the cluster's subscription directory, and its key there:
 * {@code NODE \0 GROUP \0 FILTER} (MQTT strings never contain U+0000, so the parts cannot run into each other).
 *
 * @param shareGroup the group of a {@code $share/GROUP/FILTER} subscription, else null
 */
record FilterKey(UUID node, String shareGroup, String topicFilter) {
    private static final char SEPARATOR = '\0';

    String asMapKey() {
        return node.toString() + SEPARATOR + (shareGroup == null ? "" : shareGroup) + SEPARATOR + topicFilter;
    }

    static FilterKey parse(String mapKey) {
        int first = mapKey.indexOf(SEPARATOR);
        int second = mapKey.indexOf(SEPARATOR, first + 1);
        String group = mapKey.substring(first + 1, second);
        return new FilterKey(UUID.fromString(mapKey.substring(0, first)), group.isEmpty() ? null : group,
                mapKey.substring(second + 1));
    }
}
