package org.wrenmq.broker.auth;

import java.util.List;

/**
 * The acl_file rules that apply to one client, with {@code %c} and {@code %u} already substituted, in the order
 * mosquitto 2 checks them: first the client's own section (its {@code user} block, or the anonymous lines before
 * any {@code user} line), then the patterns. Within a section a matching {@code deny} wins over any grant; a
 * section that neither denies nor grants passes the question to the next; nothing granted is denied.
 */
final class ClientRules {
    private final AclRule[] own;
    private final AclRule[] patterns;
    /** mosquitto refuses pattern rights to a client whose id or user name contains '+' or '#'. */
    private final boolean patternsRefused;

    ClientRules(List<AclRule> own, List<AclRule> patterns, boolean patternsRefused) {
        this.own = own.toArray(AclRule[]::new);
        this.patterns = patterns.toArray(AclRule[]::new);
        this.patternsRefused = patternsRefused;
    }

    /** @param access {@link AclRule#READ} or {@link AclRule#WRITE} */
    boolean allows(String[] topic, int access) {
        Boolean d = decide(own, topic, access);
        if (d == null && !patternsRefused) {
            d = decide(patterns, topic, access);
        }
        return d != null && d;
    }

    /**
     * Whether some topic under {@code filter} may be read: false when a deny covers the whole filter, or no read
     * grant touches it. A partly readable filter gets true; delivery then checks each message.
     */
    boolean mayReadUnder(String[] filter) {
        Boolean d = decideFilter(own, filter);
        if (d == null && !patternsRefused) {
            d = decideFilter(patterns, filter);
        }
        return d != null && d;
    }

    private static Boolean decide(AclRule[] rules, String[] topic, int access) {
        boolean granted = false;
        for (AclRule r : rules) {
            if (r.matches(topic)) {
                if (r.isDeny()) {
                    return false;
                }
                granted |= (r.access() & access) != 0;
            }
        }
        return granted ? Boolean.TRUE : null;
    }

    private static Boolean decideFilter(AclRule[] rules, String[] filter) {
        boolean granted = false;
        for (AclRule r : rules) {
            if (r.isDeny()) {
                if (r.covers(filter)) {
                    return false;
                }
            } else if ((r.access() & AclRule.READ) != 0 && r.intersects(filter)) {
                granted = true;
            }
        }
        return granted ? Boolean.TRUE : null;
    }
}
