package org.wrenmq.broker.auth;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * An acl_file as read: the anonymous section, each user's and each role's section, and the patterns. Immutable; a reload builds a
 * new one. {@link #forClient} compiles what applies to one client once, so a check never substitutes strings.
 */
final class AclRules {
    private final List<AclRule> anonymous;
    private final Map<String, List<AclRule>> users;
    private final Map<String, List<AclRule>> roles;
    private final List<AclRule> patterns;

    AclRules(List<AclRule> anonymous, Map<String, List<AclRule>> users, Map<String, List<AclRule>> roles,
             List<AclRule> patterns) {
        this.anonymous = anonymous;
        this.users = users;
        this.roles = roles;
        this.patterns = patterns;
    }

    int userCount() {
        return users.size();
    }

    int roleCount() {
        return roles.size();
    }

    /**
     * @param userName null for an anonymous client
     * @param userRoles the roles the authenticator gave the user: their blocks join the user's own section, so a
     *                  deny in any of them wins over a grant in another
     */
    ClientRules forClient(String clientId, String userName, Set<String> userRoles) {
        List<AclRule> own = userName == null ? anonymous : users.getOrDefault(userName, List.of());
        if (userName != null && !roles.isEmpty() && !userRoles.isEmpty()) {
            own = new ArrayList<>(own);
            for (String role : userRoles) {
                own.addAll(roles.getOrDefault(role, List.of()));
            }
        }
        boolean refused = !patterns.isEmpty() && (hasWildcard(clientId) || hasWildcard(userName));
        List<AclRule> mine = new ArrayList<>(patterns.size());
        if (!refused) {
            for (AclRule p : patterns) {
                if (userName == null && p.filter().contains("%u")) {
                    continue;
                }
                mine.add(AclRule.of(substitute(p.filter(), clientId, userName), p.access()));
            }
        }
        return new ClientRules(own, mine, refused);
    }

    private static boolean hasWildcard(String s) {
        return s != null && (s.indexOf('+') >= 0 || s.indexOf('#') >= 0);
    }

    /** Replaces each {@code %c} by the client id and {@code %u} by the user name, left to right, as mosquitto. */
    static String substitute(String pattern, String clientId, String userName) {
        StringBuilder out = new StringBuilder(pattern.length() + 16);
        for (int i = 0; i < pattern.length(); i++) {
            char ch = pattern.charAt(i);
            if (ch == '%' && i + 1 < pattern.length()) {
                char next = pattern.charAt(i + 1);
                if (next == 'c') {
                    out.append(clientId);
                    i++;
                    continue;
                }
                if (next == 'u' && userName != null) {
                    out.append(userName);
                    i++;
                    continue;
                }
            }
            out.append(ch);
        }
        return out.toString();
    }
}
