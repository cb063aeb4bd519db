package org.wrenmq.broker.session;

import java.util.Collection;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;

/**
 * Sessions by client id. Opening a session is atomic per client id, so two connections racing with the same id
 * end up with one session, and the later one takes it over.
 */
public final class SessionRegistry {

    /** MQTT 5's largest session expiry interval (0xFFFFFFFF seconds) means the session never expires. */
    public static final long NEVER_EXPIRES = 0xFFFF_FFFFL;

    /**
     * @param session  the session to attach to
     * @param present  whether it existed already (CONNACK session present flag)
     * @param replaced an existing session that a clean start discards, or null; the caller ends it
     */
    public record Opened(Session session, boolean present, Session replaced) {
    }

    /**
     * Told when a client connects and when a session ends: a cluster node claims the client id cluster-wide, so
     * that a connection on another node takes this one over.
     */
    public interface Owners {
        Owners NONE = new Owners() { };

        default void connected(String clientId) {
        }

        default void ended(String clientId) {
        }
    }

    private final Map<String, Session> sessions = new ConcurrentHashMap<>();
    private volatile Owners owners = Owners.NONE;

    public void watch(Owners owners) {
        this.owners = owners;
    }

    /** A client connected with {@code clientId} (its session is open here now). */
    public void connected(String clientId) {
        owners.connected(clientId);
    }

    public Opened open(String clientId, boolean cleanStart, Function<String, Session> factory) {
        boolean[] present = {false};
        Session[] replaced = {null};
        Session session = sessions.compute(clientId, (id, old) -> {
            if (old != null && !old.hasEnded() && !cleanStart) {
                present[0] = true;
                return old;
            }
            replaced[0] = old;
            return factory.apply(id);
        });
        return new Opened(session, present[0], replaced[0]);
    }

    /** Removes {@code session} if it is still the one registered for its client id. */
    public void remove(Session session) {
        if (sessions.remove(session.clientId(), session)) {
            owners.ended(session.clientId());
        }
    }

    /** The session of {@code clientId}, or null. */
    public Session get(String clientId) {
        return clientId == null ? null : sessions.get(clientId);
    }

    public Collection<Session> all() {
        return sessions.values();
    }

    public int size() {
        return sessions.size();
    }
}
