package org.wrenmq.cdi;

import java.util.List;

/**
 * An MQTT topic filter as the broker matches it: {@code +} one level, {@code #} the rest (the parent level
 * included), and no wildcard at the first level matches a topic starting with {@code $} [MQTT-4.7.2-1].
 */
final class TopicFilter {

    private final String text;
    private final List<String> levels;

    private TopicFilter(String text, List<String> levels) {
        this.text = text;
        this.levels = levels;
    }

    /** @throws IllegalArgumentException for a filter MQTT does not allow, naming it */
    static TopicFilter parse(String filter) {
        List<String> levels = List.of(filter.split("/", -1));
        for (int i = 0; i < levels.size(); i++) {
            String level = levels.get(i);
            boolean wildcard = level.equals("+") || level.equals("#");
            if (filter.isEmpty() || (!wildcard && (level.contains("+") || level.contains("#")))
                    || (level.equals("#") && i != levels.size() - 1)) {
                throw new IllegalArgumentException("not an MQTT topic filter: '" + filter + "' [MQTT-4.7.1-1]");
            }
        }
        return new TopicFilter(filter, levels);
    }

    boolean matches(String topic) {
        List<String> topicLevels = List.of(topic.split("/", -1));
        if (topic.startsWith("$") && (levels.get(0).equals("+") || levels.get(0).equals("#"))) {
            return false;
        }
        for (int i = 0; i < levels.size(); i++) {
            String level = levels.get(i);
            if (level.equals("#")) {
                return true;
            }
            if (i >= topicLevels.size() || !(level.equals("+") || level.equals(topicLevels.get(i)))) {
                return false;
            }
        }
        return levels.size() == topicLevels.size();
    }

    @Override
    public String toString() {
        return text;
    }
}
