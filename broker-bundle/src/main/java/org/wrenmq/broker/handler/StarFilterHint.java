package org.wrenmq.broker.handler;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A filter such as {@code building-b/*} is legal MQTT: {@code *} is no wildcard, so it matches only a level
 * literally named {@code *}. It is granted as the spec says, but it is almost always meant as "everything under
 * building-b" ({@code building-b/#}), so the operator is told once per client, not once per SUBSCRIBE.
 */
final class StarFilterHint {
    private static final Logger LOG = LoggerFactory.getLogger(StarFilterHint.class);

    private boolean told;

    /** Logs the hint for {@code filter} when it ends in a {@code *} level and this client has not had it yet. */
    void check(MqttConnectionHandler c, String filter) {
        if (told || !(filter.equals("*") || filter.endsWith("/*"))) {
            return;
        }
        told = true;
        String everything = filter.substring(0, filter.length() - 1) + "#";
        LOG.info("client '{}' ({}) subscribed to '{}': '*' is not a wildcard in MQTT, it matches only a level "
                + "named '*'; for everything under it subscribe to '{}' (said once per client)", c.clientId,
                c.remote(), filter, everything);
    }
}
