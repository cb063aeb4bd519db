package org.wrenmq.broker.routing;

/**
 * A parsed {@code $share/GROUP/FILTER} subscription (MQTT 5 section 4.8.2).
 */
public record SharedFilter(String group, String filter) {

    /** @return the parts, or null when the text is not a valid shared subscription [MQTT-4.8.2-1] [MQTT-4.8.2-2] */
    public static SharedFilter parse(String text) {
        if (!Topics.isShared(text)) {
            return null;
        }
        int slash = text.indexOf('/', Topics.SHARE_PREFIX.length());
        if (slash < 0) {
            return null;
        }
        String group = text.substring(Topics.SHARE_PREFIX.length(), slash);
        String filter = text.substring(slash + 1);
        if (group.isEmpty() || group.indexOf('+') >= 0 || group.indexOf('#') >= 0 || filter.isEmpty()) {
            return null;
        }
        return new SharedFilter(group, filter);
    }
}
