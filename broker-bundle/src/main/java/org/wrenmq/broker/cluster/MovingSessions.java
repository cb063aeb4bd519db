package org.wrenmq.broker.cluster;

import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import org.wrenmq.api.QoS;
import org.wrenmq.broker.message.Origin;
import org.wrenmq.broker.message.Publication;
import org.wrenmq.broker.routing.Subscriber;

/**
 * Where routing's deliveries to sessions on the move are decided, for messages published here and messages from
 * other nodes alike: to an old node's stub ({@link MoveStub}), to a session moving in ({@link MoveIn}), to a session
 * adopted from a dead node ({@link Takeovers}). Any other delivery goes as usual; nearly always nothing moves, and
 * routing asks a type check and an empty map more per delivery.
 */
final class MovingSessions implements NodeInbox.Gate {
    private final Takeovers takeovers;
    private final ClusterCounters counters;
    private final Map<Subscriber, MoveIn> arriving = new ConcurrentHashMap<>();

    MovingSessions(Takeovers takeovers, ClusterCounters counters) {
        this.takeovers = takeovers;
        this.counters = counters;
    }

    /** From now on (before it joins the tree), what routing brings {@code session} goes through {@code move}. */
    void add(Subscriber session, MoveIn move) {
        arriving.put(session, move);
    }

    void remove(Subscriber session, MoveIn move) {
        arriving.remove(session, move);
    }

    @Override
    public boolean takes(Origin origin, Subscriber target, Publication p, QoS qos, boolean retainFlag,
                         int[] ids) {
        if (target instanceof MoveStub stub) {
            return stub.leavesOut(origin, p);
        }
        if (origin != null && !arriving.isEmpty()) {
            MoveIn move = arriving.get(target);
            if (move != null) {
                NodeInbox.Arrival arrival = NodeInbox.ARRIVING.get();
                List<UUID> sentTo = arrival == null ? List.of() : arrival.sentTo();
                return move.fromHere(origin, sentTo, p, qos, retainFlag, ids, counters);
            }
        }
        return takeovers.takes(origin, target, p, qos, retainFlag, ids);
    }

    @Override
    public void switched(UUID origin) {
        takeovers.switched(origin);
    }

    @Override
    public void read(long position) {
        takeovers.read(position);
    }
}
