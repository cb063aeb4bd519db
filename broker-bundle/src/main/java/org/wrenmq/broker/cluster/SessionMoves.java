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
import java.nio.ByteBuffer;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.function.BiConsumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.wrenmq.api.QoS;
import org.wrenmq.broker.message.Origin;
import org.wrenmq.broker.message.Publication;
import org.wrenmq.broker.routing.Delivery;
import org.wrenmq.broker.session.Session;
import org.wrenmq.broker.session.SessionServices;
import org.wrenmq.broker.store.OriginBytes;
import org.wrenmq.broker.store.PublicationBytes;
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
 *
 * <p>The messages that still reach the old node for the session after the hand-over come after it on the same
 * topic ({@link MoveStub}, {@link MoveBarrier}); this node holds what it routes to the session itself until the
 * old node says nothing more comes, so they go out first, and keeps one copy of each ({@link MoveIn}).
 */
final class SessionMoves {
    private static final Logger LOG = LoggerFactory.getLogger(SessionMoves.class);
    /** How long a resuming client waits for the node that had its session. */
    static final long MOVE_TIMEOUT_SECONDS = 5;
    /** How long a node keeps what it knows of a move in ({@link MoveIn}): twice the stub's longest life. */
    static final long MOVE_STATE_SECONDS = 2 * MoveBarrier.LIMIT_SECONDS;
    private static final long ADOPTION_POLL_MILLIS = 200;
    private static final byte NO_SESSION = 0;
    private static final byte SESSION = 1;
    /** The session, a move id, and a stub on the old node passing on what still comes there. */
    private static final byte SESSION_AND_STUB = 2;
    /** A message the stub passed on. */
    private static final byte DELIVERY = 3;
    /** The stub closed: nothing more comes. */
    private static final byte STUB_CLOSED = 4;
    /** As {@link #SESSION}, the session preceded by what its adoption brought ({@link AdoptedCopies.Carried}). */
    private static final byte ADOPTED_SESSION = 5;
    /** As {@link #SESSION_AND_STUB}, the session preceded by what its adoption brought. */
    private static final byte ADOPTED_SESSION_AND_STUB = 6;

    private final HazelcastInstance hazelcast;
    private final String self;
    private final SessionServices services;
    private final ClusterCounters counters;
    private final MoveBarrier barrier;
    private final SubscriptionDirectory directory;
    /** Null without persistence: then a dead node's sessions are not adopted. */
    private final SessionMirror mirror;
    /** A session adopted from a dead node moves on only once every node switched over to this one. */
    private final Takeovers takeovers;
    /** Sessions being fetched, by client id. */
    private final Map<String, Fetch> pending = new ConcurrentHashMap<>();
    /** Client ids whose fetch is over (session adopted, or none to be had): the retried CONNECT goes on. */
    private final Set<String> settled = ConcurrentHashMap.newKeySet();
    /** Client ids waiting for their dead node's session to be adopted, since when (nanoseconds). */
    private final Map<String, Long> awaitingAdoption = new ConcurrentHashMap<>();
    /** Sessions moved in whose old node passes messages on (or did, lately), by client id. */
    private final Map<String, MovingIn> movingIn = new ConcurrentHashMap<>();
    /** The moves in, by old node and move id (a node's marker may come before the session). */
    private final Map<MoveKey, MoveIn> moves = new ConcurrentHashMap<>();
    private final MovingSessions moving;
    /** What came with the adoption of the sessions adopted here (or moved in adopted): carried along on a move. */
    private final AdoptedCopies adopted;
    /** Told of each session moved in here, with the node it came from ({@link ClientOwners} claims its id). */
    private volatile BiConsumer<String, UUID> onMovedIn = (clientId, from) -> { };
    /** Where sessions handed over lately went, by client id, until the new node surely names itself their owner. */
    private final Map<String, HandedTo> handedTo = new ConcurrentHashMap<>();
    /** The key a test holds the answers to this node's session requests back with ({@link HeldEvents}). */
    private final Object sessionRequests;

    /** A session asked for, on {@code loop}, from {@code node}. */
    private record Fetch(CompletableFuture<Handed> reply, EventExecutor loop, UUID node) {
    }

    private record HandedTo(UUID node, long atNanos) {
    }

    /** A session handed over: its bytes, and what its adoption brought (null: it was not adopted). */
    private record Handed(byte[] session, AdoptedCopies.Carried adoption) {
    }

    /** A session moved in, whose stub on its old node passes messages on; they go through {@code loop}. */
    private record MovingIn(MoveIn move, EventExecutor loop) {
    }

    private record MoveKey(UUID from, long moveId) {
    }

    SessionMoves(HazelcastInstance hazelcast, SessionServices services, ClusterCounters counters,
                 SessionMirror mirror, Takeovers takeovers, MoveBarrier barrier, SubscriptionDirectory directory,
                 AdoptedCopies adopted) {
        this.hazelcast = hazelcast;
        this.adopted = adopted;
        this.self = NodeIds.self(hazelcast).toString();
        this.services = services;
        this.counters = counters;
        this.mirror = mirror;
        this.takeovers = takeovers;
        this.barrier = barrier;
        this.directory = directory;
        this.moving = new MovingSessions(takeovers, counters);
        this.sessionRequests = HeldEvents.sessionRequests(NodeIds.self(hazelcast));
        barrier.onMarkerAtNewNode((oldNode, moveId, node) -> moveIn(oldNode, moveId).marked(node));
    }

    /** Decides routing's deliveries to sessions on the move ({@link MovingSessions}). */
    NodeInbox.Gate gate() {
        return moving;
    }

    /** What this node knows of the move {@code moveId} from {@code from}; stale ones (never adopted) go. */
    private MoveIn moveIn(UUID from, long moveId) {
        MoveIn known = moves.get(new MoveKey(from, moveId));
        if (known != null) {
            return known;
        }
        long stale = System.nanoTime() - TimeUnit.SECONDS.toNanos(MOVE_STATE_SECONDS);
        moves.values().removeIf(m -> m.session() == null && m.createdNanos - stale < 0);
        return moves.computeIfAbsent(new MoveKey(from, moveId), k -> new MoveIn(from, moveId));
    }

    static String replyTopic(String node) {
        return HazelcastSetup.MAP_PREFIX + "node." + node + ".sessions";
    }

    void start() {
        MergeListeners.of(hazelcast).topic(hazelcast.<byte[]>getTopic(replyTopic(self)), this::arrived);
    }

    /** See {@code SessionRegistry.Owners.readyToOpen}; {@code owner} is the node the client id map names. */
    boolean readyToOpen(String clientId, boolean cleanStart, EventExecutor loop, Runnable retry,
                        CompletableFuture<String> owner) {
        if (cleanStart || settled.remove(clientId) || services.sessions().get(clientId) != null) {
            return true;
        }
        owner.whenComplete((node, error) -> {
            UUID holder = error != null || node == null || node.equals(self) ? null : UUID.fromString(node);
            if (holder == null || !NodeIds.isMember(hazelcast, holder)) {
                settleOrAwaitAdoption(clientId, loop, retry);
                return;
            }
            awaitingAdoption.remove(clientId);
            CompletableFuture<Handed> reply = new CompletableFuture<>();
            Fetch fetch = new Fetch(reply, loop, holder);
            pending.put(clientId, fetch);
            reply.orTimeout(MOVE_TIMEOUT_SECONDS, TimeUnit.SECONDS).whenComplete((handed, late) -> loop.execute(() -> {
                pending.remove(clientId, fetch);
                if (late != null && !NodeIds.isMember(hazelcast, holder) && mirror != null) {
                    settleOrAwaitAdoption(clientId, loop, retry); // it died meanwhile: its session is adopted
                    return;
                } else if (late != null) {
                    LOG.warn("client '{}': node {} did not hand its session over within {} s; a new session starts "
                            + "here", clientId, node, MOVE_TIMEOUT_SECONDS);
                } else if (handed != null) {
                    adopt(clientId, handed, loop, holder);
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
        mirror.awaitingAdoption(clientId, node -> NodeIds.isMember(hazelcast, node)).whenComplete((pending, e) -> {
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

    void onMovedIn(BiConsumer<String, UUID> listener) {
        this.onMovedIn = listener;
    }

    private void adopt(String clientId, Handed handed, EventExecutor loop, UUID from) {
        StoredSession moved;
        try {
            moved = SessionBytes.decode(handed.session());
        } catch (StoreCorruptException e) {
            LOG.warn("client '{}': the session handed over cannot be read ({}); a new session starts here",
                    clientId, e.getMessage());
            return;
        }
        Session session = new Session(clientId, loop, services);
        MovingIn stub = movingIn.get(clientId);
        if (stub != null && !stub.move().released()) {
            session.holdForMove();
            Set<UUID> others = barrier.members();
            others.remove(NodeIds.self(hazelcast));
            stub.move().adopted(session, others);
            moving.add(session, stub.move());
        }
        session.adopt(moved);
        if (handed.adoption() != null) { // before the session can be found here: a split hand-over may come for it
            adopted.movedIn(handed.adoption(), session);
        }
        services.sessions().open(clientId, false, id -> session);
        onMovedIn.accept(clientId, from);
        if (stub != null) {
            barrier.adopted(stub.move().from, stub.move().moveId);
            loop.schedule(() -> forget(clientId, stub), MOVE_STATE_SECONDS, TimeUnit.SECONDS);
        }
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
            movedTo(clientId, UUID.fromString(requester));
            MoveStub stub = session.subscriptions().isEmpty() ? null : stub(session, UUID.fromString(requester), reply);
            StoredSession state = session.handOver(services.clock().millis(), stub == null ? null : stub::enqueueOrSend);
            counters.sessionsMovedOut.increment();
            AdoptedCopies.Carried adoption = adopted.movingOn(session);
            if (adoption != null && adoption.shared().isEmpty()) {
                adoption = null; // nothing to tell apart: the plain kinds, which nodes of the previous version read
            }
            byte[] bytes = SessionBytes.encode(state);
            if (adoption != null) {
                byte[] carried = adoption.encode();
                bytes = ByteBuffer.allocate(carried.length + bytes.length).put(carried).put(bytes).array();
            }
            if (stub == null) {
                reply.publish(answer(adoption == null ? SESSION : ADOPTED_SESSION, clientId, bytes));
                return;
            }
            reply.publish(answer(adoption == null ? SESSION_AND_STUB : ADOPTED_SESSION_AND_STUB, clientId,
                    stub.moveId(), bytes));
            barrier.opened(stub);
        }));
    }

    private void movedTo(String clientId, UUID node) {
        long now = System.nanoTime();
        handedTo.values().removeIf(h -> now - h.atNanos() > TimeUnit.SECONDS.toNanos(MOVE_STATE_SECONDS));
        handedTo.put(clientId, new HandedTo(node, now));
    }

    /**
     * The node this node handed {@code clientId}'s session to in the last {@link #MOVE_STATE_SECONDS}, or null: the
     * client id map names the new node only once the client's CONNECT goes on there, and this node a moment longer.
     */
    UUID handedTo(String clientId) {
        HandedTo h = handedTo.get(clientId);
        return h == null || System.nanoTime() - h.atNanos() > TimeUnit.SECONDS.toNanos(MOVE_STATE_SECONDS) ? null
                : h.node();
    }

    /** Whether this node is fetching {@code clientId}'s session from another node now. */
    boolean fetching(String clientId) {
        return pending.containsKey(clientId);
    }

    /** The stub that keeps the session's subscriptions here while the other nodes learn of the move. */
    private MoveStub stub(Session session, UUID to, ITopic<byte[]> reply) {
        MoveStub stub = new MoveStub(session.clientId(), to, barrier.nextMoveId(), session.executor(),
                session.access(), services.subscriptions(), directory, reply, counters, barrier.members(),
                barrier::closed);
        stub.subscribeAs(session.subscriptions());
        return stub;
    }

    private void arrived(Message<byte[]> message) {
        HeldEvents.apply(sessionRequests, () -> arrivedNow(message));
    }

    private void arrivedNow(Message<byte[]> message) {
        byte[] bytes = message.getMessageObject();
        int idLength = ((bytes[1] & 0xFF) << 8) | (bytes[2] & 0xFF);
        String clientId = new String(bytes, 3, idLength, StandardCharsets.UTF_8);
        int at = 3 + idLength;
        byte kind = bytes[0];
        if (kind == DELIVERY || kind == STUB_CLOSED) {
            fromStub(clientId, kind, ByteBuffer.wrap(bytes, at, bytes.length - at));
            return;
        }
        Fetch fetch = pending.get(clientId);
        if (fetch == null) {
            return;
        }
        if (kind == SESSION_AND_STUB || kind == ADOPTED_SESSION_AND_STUB) {
            long moveId = ByteBuffer.wrap(bytes, at, 8).getLong();
            movingIn.put(clientId, new MovingIn(moveIn(fetch.node(), moveId), fetch.loop()));
            at += 8;
        }
        if (kind == NO_SESSION) {
            fetch.reply().complete(null);
            return;
        }
        ByteBuffer rest = ByteBuffer.wrap(bytes, at, bytes.length - at);
        AdoptedCopies.Carried adoption = null;
        if (kind == ADOPTED_SESSION || kind == ADOPTED_SESSION_AND_STUB) {
            try {
                adoption = AdoptedCopies.Carried.read(rest);
            } catch (StoreCorruptException e) { // the session's bytes cannot be found either: adopt() says so
                rest = ByteBuffer.wrap(new byte[0]);
            }
        }
        byte[] session = new byte[rest.remaining()];
        rest.get(session);
        fetch.reply().complete(new Handed(session, adoption));
    }

    /**
     * What the old node's stub sends, in order after the session: through the loop the session was adopted on, so
     * after it, then on the session's own.
     */
    private void fromStub(String clientId, byte kind, ByteBuffer in) {
        long moveId = in.getLong();
        MovingIn moving = movingIn.get(clientId);
        if (moving == null || moving.move().moveId != moveId) {
            return;
        }
        if (kind == STUB_CLOSED) {
            boolean complete = in.get() != 0;
            moving.loop().execute(() -> release(moving, complete));
            return;
        }
        Origin origin = OriginBytes.get(in);
        if (origin != null && !moving.move().passedOn(origin, counters)) {
            return;
        }
        QoS qos = QoS.of(in.get());
        boolean retainFlag = in.get() != 0;
        int[] ids = new int[in.getShort() & 0xFFFF];
        for (int i = 0; i < ids.length; i++) {
            ids[i] = in.getInt();
        }
        byte[] publication = new byte[in.remaining()];
        in.get(publication);
        Publication p = PublicationBytes.decode(publication);
        moving.loop().execute(() -> {
            Session session = services.sessions().get(clientId);
            if (session != null) {
                session.execute(() -> session.deliverMoved(p, qos, retainFlag, ids, origin));
            }
        });
    }

    /**
     * The old node passes nothing more on (or left, or took too long): what was held here goes out.
     *
     * @param complete every node's marker reached the old node
     */
    private void release(MovingIn moving, boolean complete) {
        int held = moving.move().release(complete);
        Session session = moving.move().session();
        if (session != null) {
            session.execute(() -> counters.heldDuringMove.add(held + session.releaseHeldForMove()));
        }
    }

    /** Long after the move: the copies still on their way here are in. */
    private void forget(String clientId, MovingIn moving) {
        release(moving, false);
        movingIn.remove(clientId, moving);
        moves.remove(new MoveKey(moving.move().from, moving.move().moveId));
        Session session = moving.move().session();
        if (session != null) {
            this.moving.remove(session, moving.move());
        }
    }

    /** A node left: sessions it was passing messages on for get what was held for them; it writes no marker. */
    void nodeLeft(UUID node) {
        moves.values().forEach(move -> move.marked(node));
        movingIn.forEach((clientId, moving) -> {
            if (moving.move().from.equals(node)) {
                moving.loop().execute(() -> release(moving, false));
            }
        });
    }

    /** @param origin the message's identity, or null (QoS 0) */
    static byte[] delivery(String clientId, long moveId, Origin origin, Delivery d) {
        byte[] publication = PublicationBytes.encode(d.publication());
        ByteBuffer bytes = ByteBuffer.allocate(8 + OriginBytes.size(origin) + 4 + 4 * d.subscriptionIds().length
                + publication.length);
        OriginBytes.put(bytes.putLong(moveId), origin);
        bytes.put((byte) d.qos().value()).put((byte) (d.retainFlag() ? 1 : 0))
                .putShort((short) d.subscriptionIds().length);
        for (int id : d.subscriptionIds()) {
            bytes.putInt(id);
        }
        return answer(DELIVERY, clientId, bytes.put(publication).array());
    }

    /** @param complete every node's marker came (the stub did not close on its time limit) */
    static byte[] closed(String clientId, long moveId, boolean complete) {
        return answer(STUB_CLOSED, clientId, ByteBuffer.allocate(9).putLong(moveId).put((byte) (complete ? 1 : 0))
                .array());
    }

    private static byte[] answer(byte kind, String clientId, long moveId, byte[] session) {
        byte[] withId = ByteBuffer.allocate(8 + session.length).putLong(moveId).put(session).array();
        return answer(kind, clientId, withId);
    }

    private static byte[] answer(byte kind, String clientId, byte[] rest) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (DataOutputStream out = new DataOutputStream(bytes)) {
            out.writeByte(kind);
            byte[] id = clientId.getBytes(StandardCharsets.UTF_8);
            out.writeShort(id.length);
            out.write(id);
            if (rest != null) {
                out.write(rest);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return bytes.toByteArray();
    }
}
