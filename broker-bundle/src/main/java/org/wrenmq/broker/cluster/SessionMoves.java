package org.wrenmq.broker.cluster;

import com.hazelcast.core.HazelcastInstance;
import com.hazelcast.topic.ITopic;
import com.hazelcast.topic.Message;
import io.netty.util.concurrent.EventExecutor;
import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.wrenmq.broker.session.Session;
import org.wrenmq.broker.session.SessionServices;
import org.wrenmq.broker.store.SessionBytes;
import org.wrenmq.broker.store.StoreCorruptException;
import org.wrenmq.broker.store.StoredSession;

/**
 * Persistent sessions move to the node their client connects to. A client that resumes its session (clean start
 * 0) on a node that does not have it waits, before CONNACK, while this node asks the node that had it (the client
 * id map names it) to hand it over: that node takes the old connection over, sends the session (subscriptions,
 * expiry, unfinished messages with their packet ids and PUBREL state, incoming QoS 2 packet ids, a will whose delay
 * is running) and drops it; this node adopts it, and the CONNACK says session present.
 *
 * <p>If the other node does not answer within {@link #MOVE_TIMEOUT_SECONDS} (it died), the client gets a new
 * session here.
 */
final class SessionMoves {
    private static final Logger LOG = LoggerFactory.getLogger(SessionMoves.class);
    /** How long a resuming client waits for the node that had its session. */
    static final long MOVE_TIMEOUT_SECONDS = 5;
    private static final byte NO_SESSION = 0;
    private static final byte SESSION = 1;

    private final HazelcastInstance hazelcast;
    private final String self;
    private final SessionServices services;
    private final ClusterCounters counters;
    /** Sessions being fetched, by client id. */
    private final Map<String, CompletableFuture<byte[]>> pending = new ConcurrentHashMap<>();
    /** Client ids whose fetch is over (session adopted, or none to be had): the retried CONNECT goes on. */
    private final Set<String> settled = ConcurrentHashMap.newKeySet();
    /** Null without persistence: then a dead node's sessions are not adopted. */
    private final SessionMirror mirror;
    /** Client ids waiting for their dead node's session to be adopted, since when (nanoseconds). */
    private final Map<String, Long> awaitingAdoption = new ConcurrentHashMap<>();
    private static final long ADOPTION_POLL_MILLIS = 200;

    /** A session adopted from a dead node moves on only once every node switched over to this one. */
    private final Takeovers takeovers;

    SessionMoves(HazelcastInstance hazelcast, SessionServices services, ClusterCounters counters,
                 SessionMirror mirror, Takeovers takeovers) {
        this.takeovers = takeovers;
        this.mirror = mirror;
        this.hazelcast = hazelcast;
        this.self = hazelcast.getCluster().getLocalMember().getUuid().toString();
        this.services = services;
        this.counters = counters;
    }

    static String replyTopic(String node) {
        return HazelcastSetup.MAP_PREFIX + "node." + node + ".sessions";
    }

    void start() {
        hazelcast.<byte[]>getTopic(replyTopic(self)).addMessageListener(this::arrived);
    }

    /** See {@code SessionRegistry.Owners.readyToOpen}; {@code owner} is the node the client id map names. */
    boolean readyToOpen(String clientId, boolean cleanStart, EventExecutor loop, Runnable retry,
                        CompletableFuture<String> owner) {
        if (cleanStart || settled.remove(clientId) || services.sessions().get(clientId) != null) {
            return true;
        }
        owner.whenComplete((node, error) -> {
            if (error != null || node == null || node.equals(self) || !ClientOwners.isMember(hazelcast, node)) {
                settleOrAwaitAdoption(clientId, loop, retry);
                return;
            }
            awaitingAdoption.remove(clientId);
            CompletableFuture<byte[]> reply = new CompletableFuture<>();
            pending.put(clientId, reply);
            reply.orTimeout(MOVE_TIMEOUT_SECONDS, TimeUnit.SECONDS).whenComplete((bytes, late) -> loop.execute(() -> {
                pending.remove(clientId, reply);
                if (late != null && !ClientOwners.isMember(hazelcast, node) && mirror != null) {
                    settleOrAwaitAdoption(clientId, loop, retry); // it died meanwhile: its session is adopted
                    return;
                } else if (late != null) {
                    LOG.warn("client '{}': node {} did not hand its session over within {} s; a new session starts "
                            + "here", clientId, node, MOVE_TIMEOUT_SECONDS);
                } else if (bytes != null) {
                    adopt(clientId, bytes, loop);
                }
                settle(clientId, loop, retry);
            }));
            hazelcast.<String>getTopic(ClientOwners.controlTopic(node)).publish(ClientOwners.MOVE + self + "\0"
                    + clientId);
        });
        return false;
    }

    /**
     * The node that had the session is gone: a survivor adopts its sessions from the mirror, so while the mirror
     * still names the dead node the CONNECT is tried again a little later (then finding the adopter), for up to
     * {@link #MOVE_TIMEOUT_SECONDS}; otherwise the client gets a new session.
     */
    private void settleOrAwaitAdoption(String clientId, EventExecutor loop, Runnable retry) {
        if (mirror == null) {
            settle(clientId, loop, retry);
            return;
        }
        long now = System.nanoTime();
        long since = awaitingAdoption.computeIfAbsent(clientId, id -> now);
        mirror.awaitingAdoption(clientId, node -> ClientOwners.isMember(hazelcast, node)).whenComplete((pending, e) -> {
            if (Boolean.TRUE.equals(pending) && now - since < TimeUnit.SECONDS.toNanos(MOVE_TIMEOUT_SECONDS)) {
                loop.schedule(retry, ADOPTION_POLL_MILLIS, TimeUnit.MILLISECONDS);
            } else {
                awaitingAdoption.remove(clientId);
                settle(clientId, loop, retry);
            }
        });
    }

    private void settle(String clientId, EventExecutor loop, Runnable retry) {
        settled.add(clientId);
        loop.execute(retry);
    }

    private void adopt(String clientId, byte[] bytes, EventExecutor loop) {
        StoredSession moved;
        try {
            moved = SessionBytes.decode(bytes);
        } catch (StoreCorruptException e) {
            LOG.warn("client '{}': the session handed over cannot be read ({}); a new session starts here",
                    clientId, e.getMessage());
            return;
        }
        Session session = new Session(clientId, loop, services);
        session.adopt(moved);
        services.sessions().open(clientId, false, id -> session);
        counters.sessionsMovedIn.increment();
        LOG.info("client '{}': session moved here from another node ({} subscriptions, {} messages)", clientId,
                moved.subscriptions().size(), moved.entries().size());
    }

    /** Another node asks for a session this node has: hands it over (or says there is none). */
    void handOver(String requester, String clientId) {
        ITopic<byte[]> reply = hazelcast.getTopic(replyTopic(requester));
        Session session = services.sessions().get(clientId);
        if (session == null || !session.isPersistent()) {
            reply.publish(answer(NO_SESSION, clientId, null));
            if (session != null) {
                session.execute(session::replaced);
            }
            return;
        }
        takeovers.beforeMove(session, () -> session.execute(() -> {
            StoredSession state = session.handOver(services.clock().millis());
            counters.sessionsMovedOut.increment();
            reply.publish(answer(SESSION, clientId, SessionBytes.encode(state)));
        }));
    }

    private void arrived(Message<byte[]> message) {
        byte[] bytes = message.getMessageObject();
        int idLength = ((bytes[1] & 0xFF) << 8) | (bytes[2] & 0xFF);
        String clientId = new String(bytes, 3, idLength, StandardCharsets.UTF_8);
        CompletableFuture<byte[]> reply = pending.get(clientId);
        if (reply != null) {
            reply.complete(bytes[0] == SESSION ? Arrays.copyOfRange(bytes, 3 + idLength, bytes.length) : null);
        }
    }

    private static byte[] answer(byte kind, String clientId, byte[] session) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (DataOutputStream out = new DataOutputStream(bytes)) {
            out.writeByte(kind);
            byte[] id = clientId.getBytes(StandardCharsets.UTF_8);
            out.writeShort(id.length);
            out.write(id);
            if (session != null) {
                out.write(session);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return bytes.toByteArray();
    }
}
