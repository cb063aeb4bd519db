package org.wrenmq.broker.auth;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.wrenmq.broker.ConfigException;
import org.wrenmq.broker.routing.Topics;

/**
 * Reads a mosquitto acl_file, line by line as mosquitto 2 does:
 * <pre>
 * # a comment (a line whose first non-blank character is '#')
 * topic [read|write|readwrite|deny] FILTER    (no access word: readwrite; FILTER may contain spaces)
 * user NAME                                   (the topic lines after it are NAME's; before any: anonymous)
 * role NAME                                   (WrenMQ: the topic lines after it are for every user holding role NAME)
 * pattern [read|write|readwrite|deny] FILTER  (for every client; %c is its client id, %u its user name)
 * </pre>
 * Roles come from the authenticator (a container's JAAS realm); a password_file gives none.
 * Words are separated by spaces or tabs. Any other line is an error, reported as {@code FILE:LINE: what}.
 */
public final class AclFile {
    private static final Logger LOG = LoggerFactory.getLogger(AclFile.class);

    private AclFile() {
    }

    /** @throws ConfigException with {@code FILE:LINE: what is wrong} */
    static AclRules read(Path file) {
        List<String> lines;
        try {
            lines = Files.readAllLines(file, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new ConfigException(file + ": cannot read acl_file: " + e.getMessage());
        }
        return parse(file.toString(), lines);
    }

    static AclRules parse(String name, List<String> lines) {
        List<AclRule> anonymous = new ArrayList<>();
        Map<String, List<AclRule>> users = new HashMap<>();
        Map<String, List<AclRule>> roles = new HashMap<>();
        List<AclRule> patterns = new ArrayList<>();
        List<AclRule> section = anonymous;
        for (int i = 0; i < lines.size(); i++) {
            String line = lines.get(i).strip();
            if (line.isEmpty() || line.startsWith("#")) {
                continue;
            }
            String where = name + ":" + (i + 1) + ": ";
            String[] first = split(line);
            switch (first[0]) {
                case "user":
                    if (first[1].isEmpty()) {
                        throw new ConfigException(where + "user needs a user name");
                    }
                    section = users.computeIfAbsent(first[1], u -> new ArrayList<>());
                    break;
                case "role":
                    if (first[1].isEmpty()) {
                        throw new ConfigException(where + "role needs a role name");
                    }
                    section = roles.computeIfAbsent(first[1], r -> new ArrayList<>());
                    break;
                case "topic":
                    section.add(rule(where, first[1]));
                    break;
                case "pattern":
                    AclRule p = rule(where, first[1]);
                    if (!p.filter().contains("%c") && !p.filter().contains("%u")) {
                        LOG.warn("{}pattern '{}' contains neither %c nor %u", where, p.filter());
                    }
                    patterns.add(p);
                    break;
                default:
                    throw new ConfigException(where + "expected 'topic', 'pattern', 'user' or 'role', not '" + first[0] + "'");
            }
        }
        return new AclRules(List.copyOf(anonymous), copy(users), copy(roles), List.copyOf(patterns));
    }

    /** The access word (optional) and the filter, which is the rest of the line. */
    private static AclRule rule(String where, String rest) {
        if (rest.isEmpty()) {
            throw new ConfigException(where + "topic filter missing");
        }
        String[] words = split(rest);
        int access;
        String filter;
        if (words[1].isEmpty()) {
            access = AclRule.READWRITE;
            filter = words[0];
        } else {
            filter = words[1];
            switch (words[0]) {
                case "read": access = AclRule.READ; break;
                case "write": access = AclRule.WRITE; break;
                case "readwrite": access = AclRule.READWRITE; break;
                case "deny": access = AclRule.DENY; break;
                default:
                    throw new ConfigException(where + "access must be read, write, readwrite or deny, not '"
                            + words[0] + "'");
            }
        }
        String error = Topics.topicFilterError(filter);
        if (error != null) {
            throw new ConfigException(where + "invalid topic filter '" + filter + "': " + error);
        }
        return AclRule.of(filter, access);
    }

    /** Splits off the first word: {word, rest of the line without leading blanks}. */
    private static String[] split(String s) {
        int end = 0;
        while (end < s.length() && !isBlank(s.charAt(end))) {
            end++;
        }
        return new String[] {s.substring(0, end), s.substring(end).strip()};
    }

    private static boolean isBlank(char c) {
        return c == ' ' || c == '\t';
    }

    private static Map<String, List<AclRule>> copy(Map<String, List<AclRule>> users) {
        Map<String, List<AclRule>> out = new HashMap<>(users.size() * 2);
        users.forEach((u, rules) -> out.put(u, List.copyOf(rules)));
        return out;
    }
}
