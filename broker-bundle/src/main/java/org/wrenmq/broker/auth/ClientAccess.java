package org.wrenmq.broker.auth;

import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.LongAdder;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.wrenmq.broker.routing.Topics;

/**
 * One client's rights under the acl_file, asked at SUBSCRIBE, PUBLISH, delivery and when its will goes out.
 * Decisions for topic names are cached per client (a delivery to a subscriber asks the same few topics again and
 * again), and the cache and the compiled rules are dropped when the acl_file is reloaded. Safe to call from any
 * thread: the router asks on the publisher's thread.
 *
 * <p>Each denial is counted ({@code acl.denied.*}) and logged once per client and topic, at most
 * {@link #MAX_LOGGED_DENIALS} lines per client.
 */
public final class ClientAccess {
    /** Everything allowed: no acl_file, or an in-VM client. */
    public static final ClientAccess UNCHECKED = new ClientAccess(null, null, null, Set.of());
    /** Topic decisions cached per client before the cache starts over. */
    static final int MAX_CACHED_TOPICS = 1024;
    /** Denials logged per client (each distinct action and topic once); later ones are only counted. */
    static final int MAX_LOGGED_DENIALS = 20;
    private static final Logger LOG = LoggerFactory.getLogger(ClientAccess.class);
    private static final int CACHED_READ = 1 << 2;
    private static final int CACHED_WRITE = 1 << 3;

    private final Authorizer authorizer;
    private final String clientId;
    private final String userName;
    private final Set<String> roles;
    private volatile Compiled compiled;
    private final Set<String> logged;
    private final AtomicBoolean loggingStopped = new AtomicBoolean();

    /** The rules of one acl_file version, compiled for this client, with the decisions taken under them. */
    private record Compiled(AclRules source, ClientRules rules, Map<String, Integer> decisions) {
    }

    ClientAccess(Authorizer authorizer, String clientId, String userName, Set<String> roles) {
        this.authorizer = authorizer;
        this.clientId = clientId;
        this.userName = userName;
        this.roles = roles;
        this.logged = authorizer == null ? Set.of() : ConcurrentHashMap.newKeySet();
    }

    /** PUBLISH to {@code topic}; counted and logged when denied. */
    public boolean mayPublish(String topic) {
        return authorizer == null || allowed(topic, AclRule.WRITE, "publish to", authorizer.metrics().aclDeniedPublish);
    }

    /** The will, when it is about to be published; counted and logged when denied. */
    public boolean mayPublishWill(String topic) {
        return authorizer == null || allowed(topic, AclRule.WRITE, "will on", authorizer.metrics().aclDeniedWill);
    }

    /** Delivery of a message on {@code topic} to this client; counted and logged when denied. */
    public boolean mayRead(String topic) {
        return authorizer == null
                || allowed(topic, AclRule.READ, "delivery of", authorizer.metrics().aclDeniedDelivery);
    }

    /** SUBSCRIBE to {@code filter} (without a $share prefix): false when nothing under it may be read. */
    public boolean maySubscribe(String filter) {
        if (authorizer == null) {
            return true;
        }
        boolean ok = current().rules.mayReadUnder(Topics.levels(filter));
        if (!ok) {
            denied("subscription to", filter, authorizer.metrics().aclDeniedSubscribe);
        }
        return ok;
    }

    /**
     * Whether the rules grant reading (or, with {@code write}, publishing to) {@code topic}, without counting or
     * logging: for views that show what a user could do (the web console), where nothing was attempted.
     */
    public boolean grants(String topic, boolean write) {
        return authorizer == null
                || current().rules.allows(Topics.levels(topic), write ? AclRule.WRITE : AclRule.READ);
    }

    private boolean allowed(String topic, int access, String action, LongAdder counter) {
        Compiled c = current();
        Integer cached = c.decisions.get(topic);
        int bits;
        if (cached != null && (cached & cachedFlag(access)) != 0) {
            bits = cached;
        } else {
            bits = (cached == null ? 0 : cached) | cachedFlag(access)
                    | (c.rules.allows(Topics.levels(topic), access) ? access : 0);
            if (c.decisions.size() >= MAX_CACHED_TOPICS) {
                c.decisions.clear();
            }
            c.decisions.put(topic, bits);
        }
        if ((bits & access) != 0) {
            return true;
        }
        denied(action, topic, counter);
        return false;
    }

    private static int cachedFlag(int access) {
        return access == AclRule.READ ? CACHED_READ : CACHED_WRITE;
    }

    private Compiled current() {
        AclRules rules = authorizer.rules();
        Compiled c = compiled;
        if (c == null || c.source != rules) {
            c = new Compiled(rules, rules.forClient(clientId, userName, roles), new ConcurrentHashMap<>());
            compiled = c;
        }
        return c;
    }

    private void denied(String action, String topic, LongAdder counter) {
        counter.increment();
        if (logged.size() < MAX_LOGGED_DENIALS) {
            if (logged.add(action + ' ' + topic)) {
                LOG.warn("client '{}' ({}) denied {} '{}' by the acl_file", clientId,
                        userName == null ? "anonymous" : "user '" + userName + "'", action, topic);
            }
        } else if (loggingStopped.compareAndSet(false, true)) {
            LOG.warn("client '{}': {} ACL denials logged; further ones are only counted (acl.denied.*)", clientId,
                    MAX_LOGGED_DENIALS);
        }
    }
}
