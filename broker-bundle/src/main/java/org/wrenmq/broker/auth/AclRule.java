package org.wrenmq.broker.auth;

import org.wrenmq.broker.routing.Topics;

/**
 * One line of an acl_file: a topic filter (split into levels once, when the file is read) and the access it
 * grants, or {@link #DENY}. Matching follows MQTT's filter rules, so a rule with a wildcard in its first level
 * never matches a topic starting with '$' (mosquitto 2 behaves the same way).
 */
record AclRule(String filter, String[] levels, int access) {
    static final int DENY = 0;
    static final int READ = 1;
    static final int WRITE = 2;
    static final int READWRITE = READ | WRITE;

    static AclRule of(String filter, int access) {
        return new AclRule(filter, Topics.levels(filter), access);
    }

    boolean isDeny() {
        return access == DENY;
    }

    /** Whether this rule's filter matches a topic name, given as its levels. */
    boolean matches(String[] topic) {
        if (isWildcard(levels[0]) && topic[0].startsWith("$")) {
            return false;
        }
        for (int i = 0; i < levels.length; i++) {
            if (levels[i].equals("#")) {
                return true;
            }
            if (i >= topic.length || !(levels[i].equals("+") || levels[i].equals(topic[i]))) {
                return false;
            }
        }
        return levels.length == topic.length;
    }

    /** Whether some topic name is matched both by this rule and by {@code filter} (given as levels). */
    boolean intersects(String[] filter) {
        if ((isWildcard(levels[0]) && filter[0].startsWith("$"))
                || (isWildcard(filter[0]) && levels[0].startsWith("$"))) {
            return false;
        }
        for (int i = 0; ; i++) {
            boolean ruleEnd = i == levels.length;
            boolean filterEnd = i == filter.length;
            if ((!ruleEnd && levels[i].equals("#")) || (!filterEnd && filter[i].equals("#"))) {
                return true;
            }
            if (ruleEnd || filterEnd) {
                return ruleEnd && filterEnd;
            }
            if (!levels[i].equals("+") && !filter[i].equals("+") && !levels[i].equals(filter[i])) {
                return false;
            }
        }
    }

    /** Whether every topic name {@code filter} (given as levels) matches is matched by this rule too. */
    boolean covers(String[] filter) {
        if (isWildcard(levels[0]) && filter[0].startsWith("$")) {
            return false;
        }
        for (int i = 0; ; i++) {
            boolean ruleEnd = i == levels.length;
            boolean filterEnd = i == filter.length;
            if (!ruleEnd && levels[i].equals("#")) {
                return true;
            }
            if (ruleEnd || filterEnd) {
                return ruleEnd && filterEnd;
            }
            if (filter[i].equals("#") || !(levels[i].equals("+") || levels[i].equals(filter[i]))) {
                return false;
            }
        }
    }

    private static boolean isWildcard(String level) {
        return level.equals("+") || level.equals("#");
    }
}
