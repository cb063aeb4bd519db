package org.wrenmq.broker.routing;

import java.nio.charset.StandardCharsets;

/**
 * Topic names and filters as the MQTT specs define them (3.1.1 section 4.7, 5.0 section 4.7).
 *
 * <p>Levels are separated by '/'; empty levels are legal ("a//b", "/a"). A filter's '+' matches exactly one level
 * and must fill its level; '#' matches the parent level and any number of levels below, and must be last and
 * fill its level. A wildcard in the first level never matches a topic starting with '$' [MQTT-4.7.2-1], so
 * {@code #} does not see {@code $SYS/...}. U+0000 and invalid UTF-8 are refused by the decoder already.
 */
public final class Topics {
    public static final String SHARE_PREFIX = "$share/";
    private static final int MAX_UTF8_LENGTH = 65_535;

    private Topics() {
    }

    /** @return why {@code topic} cannot be published to, or null when it can */
    public static String topicNameError(String topic) {
        if (topic.isEmpty()) {
            return "topic name is empty [MQTT-4.7.3-1]";
        }
        if (topic.indexOf('+') >= 0 || topic.indexOf('#') >= 0) {
            return "topic name contains a wildcard [MQTT-3.3.2-2]";
        }
        return tooLong(topic) ? "topic name is longer than 65535 bytes" : null;
    }

    /** @return why {@code filter} cannot be subscribed to, or null when it can (shared prefix already removed) */
    public static String topicFilterError(String filter) {
        if (filter.isEmpty()) {
            return "topic filter is empty [MQTT-4.7.3-1]";
        }
        int levelStart = 0;
        for (int i = 0; i <= filter.length(); i++) {
            if (i == filter.length() || filter.charAt(i) == '/') {
                String level = filter.substring(levelStart, i);
                if (level.indexOf('#') >= 0 && (!level.equals("#") || i != filter.length())) {
                    return "'#' must be the last level and alone in it [MQTT-4.7.1-2]";
                }
                if (level.indexOf('+') >= 0 && !level.equals("+")) {
                    return "'+' must fill its whole level [MQTT-4.7.1-3]";
                }
                levelStart = i + 1;
            }
        }
        return tooLong(filter) ? "topic filter is longer than 65535 bytes" : null;
    }

    public static boolean isShared(String filter) {
        return filter.startsWith(SHARE_PREFIX);
    }

    private static boolean tooLong(String s) {
        return s.length() * 3 > MAX_UTF8_LENGTH && s.getBytes(StandardCharsets.UTF_8).length > MAX_UTF8_LENGTH;
    }

    /** Whether {@code filter} (valid, not shared) matches {@code topic}, by the same rules as the trees. */
    public static boolean matches(String filter, String topic) {
        String[] f = levels(filter);
        String[] t = levels(topic);
        if (topic.startsWith("$") && (f[0].equals("+") || f[0].equals("#"))) {
            return false;
        }
        for (int i = 0; i < f.length; i++) {
            if (f[i].equals("#")) {
                return true;
            }
            if (i >= t.length || !(f[i].equals("+") || f[i].equals(t[i]))) {
                return false;
            }
        }
        return f.length == t.length;
    }

    /** Splits at '/', keeping empty levels. */
    public static String[] levels(String topicOrFilter) {
        int count = 1;
        for (int i = 0; i < topicOrFilter.length(); i++) {
            if (topicOrFilter.charAt(i) == '/') {
                count++;
            }
        }
        String[] levels = new String[count];
        int start = 0;
        int n = 0;
        for (int i = 0; i < topicOrFilter.length(); i++) {
            if (topicOrFilter.charAt(i) == '/') {
                levels[n++] = topicOrFilter.substring(start, i);
                start = i + 1;
            }
        }
        levels[n] = topicOrFilter.substring(start);
        return levels;
    }
}
