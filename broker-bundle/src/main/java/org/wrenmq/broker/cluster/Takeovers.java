package org.wrenmq.broker.cluster;

import java.util.List;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.function.ToLongFunction;
import org.wrenmq.api.QoS;
import org.wrenmq.broker.message.Origin;
import org.wrenmq.broker.message.Publication;
import org.wrenmq.broker.routing.Subscriber;

/**
 * The switches under way on this node ({@link TakeoverGate}, one per dead node whose sessions it adopted): what this
 * node's routing delivers to an adopted session goes through its switch. Empty nearly always: then routing asks one
 * volatile read more per QoS 1/2 delivery.
 */
final class Takeovers implements NodeInbox.Gate {
    private final List<TakeoverGate> gates = new CopyOnWriteArrayList<>();

    void add(TakeoverGate gate) {
        gates.add(gate);
    }

    void remove(TakeoverGate gate) {
        gates.remove(gate);
    }

    /** @return whether a switch took the delivery over (the router must not make it) */
    @Override
    public boolean takes(Origin origin, Subscriber target, Publication p, QoS qos, boolean retainFlag,
                     int[] ids) {
        if (origin == null || gates.isEmpty()) {
            return false;
        }
        for (TakeoverGate gate : gates) {
            if (gate.covers(target)) {
                return gate.fromHere(origin, target, p, qos, retainFlag, ids);
            }
        }
        return false;
    }

    /**
     * Runs {@code handOver} (not on an event loop) once {@code session} may move to another node: at once, or, for a
     * session adopted from a dead node, once every node has switched over to this one (at most
     * {@value TakeoverGate#MOVE_WAIT_SECONDS} s: the other node's client waits), what this node held back for it
     * queued first.
     */
    void beforeMove(Subscriber session, Runnable handOver) {
        for (TakeoverGate gate : gates) {
            if (gate.covers(session)) {
                gate.switched().completeOnTimeout(null, TakeoverGate.MOVE_WAIT_SECONDS, TimeUnit.SECONDS)
                        .thenRunAsync(() -> {
                            gate.releaseFor(session);
                            handOver.run();
                        });
                return;
            }
        }
        handOver.run();
    }

    /** A node left: each switch waits no longer for its mark than until what it wrote was read. */
    void originLeft(UUID node, ToLongFunction<TakeoverGate> ringTail) {
        for (TakeoverGate gate : gates) {
            gate.originLeft(node, ringTail.applyAsLong(gate));
        }
    }
}
