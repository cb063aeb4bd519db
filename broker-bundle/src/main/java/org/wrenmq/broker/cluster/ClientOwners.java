package org.wrenmq.broker.cluster;

import com.hazelcast.core.HazelcastInstance;
import com.hazelcast.map.IMap;
import com.hazelcast.query.Predicates;
import com.hazelcast.topic.ITopic;
import com.hazelcast.topic.Message;
import java.util.UUID;
import java.util.concurrent.Executor;
import io.netty.util.concurrent.EventExecutor;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.wrenmq.broker.session.Session;
import org.wrenmq.broker.session.SessionRegistry;

/**
 * Client ids are unique cluster-wide: a Hazelcast map says which node each connected client id is on. A client
 * that connects here claims its id; when another node had it, that node is told (on its control topic) and
 * ends its session there, closing the connection as on a takeover within one broker (MQTT 5: DISCONNECT 0x8E,
 * session taken over [MQTT-3.1.4-3]).
 *
 * <p>The node told checks that the map still names another node before it acts, so a client that came back to
 * it in the meantime keeps its connection.
 */
final class ClientOwners implements SessionRegistry.Owners {
    private static final Logger LOG = LoggerFactory.getLogger(ClientOwners.class);
    static final String MAP = HazelcastSetup.MAP_PREFIX + "clients";
    /** Control messages: {@code T CLIENT_ID} (taken over), {@code M REQUESTER \0 CLIENT_ID} (hand the session over). */
    static final String TAKEOVER = "T";
    static final String MOVE = "M";

    private final HazelcastInstance hazelcast;
    private final String self;
    private final IMap<String, String> owners;
    private final SessionRegistry sessions;
    private final ClusterCounters counters;
    /** Runs the map updates that have no asynchronous form off the event loops. */
    private final Executor writer;
    private final SessionMoves moves;

    ClientOwners(HazelcastInstance hazelcast, SessionRegistry sessions, ClusterCounters counters, Executor writer,
                 SessionMoves moves) {
        this.writer = writer;
        this.moves = moves;
        this.hazelcast = hazelcast;
        this.self = NodeIds.self(hazelcast).toString();
        this.owners = hazelcast.getMap(MAP);
        this.sessions = sessions;
        this.counters = counters;
        moves.onMovedIn(this::movedIn);
    }

    static String controlTopic(String node) {
        return HazelcastSetup.MAP_PREFIX + "node." + node + ".takeover";
    }

    void start() {
        MergeListeners.of(hazelcast).topic(hazelcast.<String>getTopic(controlTopic(self)), this::control);
        moves.start();
        sessions.watch(this);
    }

    @Override
    public boolean readyToOpen(String clientId, boolean cleanStart, EventExecutor loop, Runnable retry) {
        if (cleanStart) {
            return true;
        }
        return moves.readyToOpen(clientId, false, loop, retry, owners.getAsync(clientId).toCompletableFuture());
    }

    private void control(Message<String> message) {
        String text = message.getMessageObject();
        if (text.startsWith(MOVE)) {
            int zero = text.indexOf('\0');
            moves.handOver(text.substring(MOVE.length(), zero), text.substring(zero + 1));
        } else {
            takenOverElsewhere(text.substring(TAKEOVER.length()));
        }
    }

    @Override
    public void connected(String clientId) {
        owners.putAsync(clientId, self).thenAccept(previous -> {
            if (previous != null && !previous.equals(self) && NodeIds.isMember(hazelcast, UUID.fromString(previous))) {
                hazelcast.<String>getTopic(controlTopic(previous)).publish(TAKEOVER + clientId);
            }
        });
    }

    /**
     * {@code clientId}'s session moved here from {@code from}: this node claims the id at once, not only when the
     * client's CONNECT goes on (a client gone meanwhile never does, and the id would name no node, so that the client
     * resuming on a third node got a new session while this one lived on). Taken from {@code from} or from nobody,
     * never from a node the client connected to since.
     */
    private void movedIn(String clientId, UUID from) {
        writer.execute(() -> {
            if (!owners.replace(clientId, from.toString(), self)) {
                owners.putIfAbsent(clientId, self);
            }
        });
    }

    @Override
    public void ended(String clientId) {
        writer.execute(() -> owners.remove(clientId, self));
    }

    /** Another node's client claimed an id whose session is here. */
    private void takenOverElsewhere(String clientId) {
        Session session = sessions.get(clientId);
        String owner = owners.get(clientId);
        if (session == null || self.equals(owner)) {
            return;
        }
        counters.takenOverByOtherNode.increment();
        LOG.info("client '{}' connected on node {}: its session here is taken over", clientId, owner);
        session.execute(session::replaced);
    }

    /** A node left: the ids it held are free (their clients reconnect elsewhere). The oldest member clears them. */
    void nodeLeft(UUID node) {
        owners.removeAll(Predicates.equal("this", node.toString()));
    }
}
