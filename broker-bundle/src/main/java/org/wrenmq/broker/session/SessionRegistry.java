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

        /**
         * Whether a client that resumes its session ({@code cleanStart} false) may be attached now; false while
         * its session is being fetched from another cluster node, and {@code retry} runs the CONNECT again
         * (on the connection's loop) once it is here or known to be nowhere.
         */
        default boolean readyToOpen(String clientId, boolean cleanStart, io.netty.util.concurrent.EventExecutor loop,
                                    Runnable retry) {
            return true;
        }
    }

    private final Map<String, Session> sessions = new ConcurrentHashMap<>();
    private volatile Owners owners = Owners.NONE;

    public void watch(Owners owners) {
        this.owners = owners;
    }

    /** See {@link Owners#readyToOpen}. */
    public boolean readyToOpen(String clientId, boolean cleanStart, io.netty.util.concurrent.EventExecutor loop,
                               Runnable retry) {
        return owners.readyToOpen(clientId, cleanStart, loop, retry);
    }

    /** A client connected with {@code clientId} (its session is open here now). */
    public void connected(String clientId) {
        owners.connected(clientId);
    }

    /**
     * The session a CONNECT gets: the registered one when the client asks to resume and that session outlives its
     * connection (a clean session whose connection is still closing is over, as in mosquitto, so a quick reconnect
     * never finds it "present" [MQTT-3.1.2-6]); otherwise a new one, replacing any registered.
     */
    public Opened open(String clientId, boolean cleanStart, Function<String, Session> factory) {
        boolean[] present = {false};
        Session[] replaced = {null};
        Session session = sessions.compute(clientId, (id, old) -> {
            if (old != null && !old.hasEnded() && !cleanStart && old.isPersistent()) {
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
