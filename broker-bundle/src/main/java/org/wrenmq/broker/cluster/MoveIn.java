package org.wrenmq.broker.cluster;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import org.wrenmq.api.QoS;
import org.wrenmq.broker.message.Origin;
import org.wrenmq.broker.message.Publication;
import org.wrenmq.broker.session.Session;

/**
 * A session moving in from {@code from}, on the node it moved to, while both nodes may route its QoS 1/2 messages:
 * the old node's stub passes on each one it still gets ({@link MoveStub}), and when this node too has a subscriber
 * on one of the session's filters, the other nodes send most messages to both. Which copy the session gets is
 * decided here by the message's identity ({@link Origin}) and by what each node actually did, not by where
 * the sender meant it to go:
 * <ul>
 *   <li>a message the stub passed on is delivered in the stub's order, and this node's own copy is dropped;</li>
 *   <li>a message from node X that X also sent to the old node, read here before X's marker
 *   ({@link MoveBarrier}), was read there before the stub closed: the session had it there, or the stub passes it
 *   on. This node's copy is dropped;</li>
 *   <li>any other message this node routes to the session is held until the stub closed, unless the stub passes
 *   the same message on meanwhile (then it goes out in the stub's order), and delivered after.</li>
 * </ul>
 * X writes its markers into both ring buffers in one step with respect to its messages sent to both
 * ({@link MoveBarrier#sendOrder}), so "before X's marker" means the same in both. Kept for
 * {@link SessionMoves#MOVE_STATE_SECONDS} after the move (a few message identities), so that a copy still on its
 * way here is recognised.
 */
final class MoveIn {
    final UUID from;
    final long moveId;
    final long createdNanos = System.nanoTime();
    /** Guarded by this, as what follows. */
    private Session session;
    private final Set<UUID> marked = new HashSet<>();
    /** The nodes whose marker this node waits for: the members when the session was adopted. */
    private Set<UUID> awaited = Set.of();
    private final Set<Origin> passed = new HashSet<>();
    private final Map<Origin, Held> held = new LinkedHashMap<>();
    private boolean released;

    private record Held(Publication p, QoS qos, boolean retainFlag, int[] ids) {
    }

    MoveIn(UUID from, long moveId) {
        this.from = from;
        this.moveId = moveId;
    }

    /** The session adopted here; {@code members} (this node left out) each write a marker. */
    synchronized void adopted(Session session, Set<UUID> members) {
        this.session = session;
        this.awaited = new HashSet<>(members);
    }

    synchronized Session session() {
        return session;
    }

    synchronized boolean released() {
        return released;
    }

    /** {@code node}'s marker was read in this node's ring buffer (or it left). */
    synchronized void marked(UUID node) {
        marked.add(node);
    }

    /**
     * This node routes a message to the session (on the routing thread).
     *
     * @param sentTo the nodes its sender sent it to, when more than one
     * @return whether it is taken here (held or dropped): the router must not deliver it
     */
    synchronized boolean fromHere(Origin origin, List<UUID> sentTo, Publication p, QoS qos,
                                  boolean retainFlag, int[] ids, ClusterCounters counters) {
        if (passed.contains(origin) || awaited.contains(origin.node()) && !marked.contains(origin.node())
                && (origin.node().equals(from) || sentTo.contains(from))) {
            counters.moveCopies.increment();
            return true;
        }
        if (!released) {
            held.put(origin, new Held(p, qos, retainFlag, ids));
            return true;
        }
        return false;
    }

    /**
     * The stub passed a message on: whether it goes out now (the first copy); a copy held here is given up for it.
     */
    synchronized boolean passedOn(Origin origin, ClusterCounters counters) {
        if (!passed.add(origin)) {
            return false;
        }
        if (held.remove(origin) != null) {
            counters.moveCopies.increment();
        }
        return true;
    }

    /**
     * The stub closed: what was held goes out, queued on the session's loop before anything routed from now on.
     *
     * @param complete whether every node's marker reached the old node; if not, this node no longer relies on them
     * @return how many were held
     */
    synchronized int release(boolean complete) {
        if (released) {
            return 0;
        }
        released = true;
        if (!complete) {
            awaited = Set.of();
        }
        List<Map.Entry<Origin, Held>> now = new ArrayList<>(held.entrySet());
        held.clear();
        Session s = session;
        if (s != null) {
            for (Map.Entry<Origin, Held> e : now) {
                Held h = e.getValue();
                s.execute(() -> s.deliverMoved(h.p(), h.qos(), h.retainFlag(), h.ids(), e.getKey()));
            }
        }
        return now.size();
    }
}
