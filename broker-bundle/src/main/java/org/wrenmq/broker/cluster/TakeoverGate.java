package org.wrenmq.broker.cluster;

import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.wrenmq.api.QoS;
import org.wrenmq.broker.message.Origin;
import org.wrenmq.broker.message.Publication;
import org.wrenmq.broker.routing.Delivery;
import org.wrenmq.broker.routing.Subscriber;
import org.wrenmq.broker.session.Session;
import org.wrenmq.broker.store.MessageStore;
import org.wrenmq.broker.store.StoredEntry;

/**
 * The switch of the sessions adopted from a dead node from its ring buffer to this node's own routing, so that each
 * gets every QoS 1/2 message once and each publisher's messages in order.
 *
 * <p>After a node dies, every node goes on writing the messages for its filters into its ring buffer (which the
 * adopter reads) until it learns that those filters left the directory, and sends the adopter the messages for the
 * adopted sessions' filters as soon as it learns of them: for a moment a message comes both ways, on two threads.
 * While the switch lasts every delivery to an adopted session goes through here, identified by its
 * {@link Origin} (the node it was published on and its number there, in each publisher's order):
 * <ul>
 *   <li>from the dead node's ring buffer: delivered, unless the session had that message already (replayed, or in
 *   the mirror it was adopted from: the mirror records each message's identity);</li>
 *   <li>from this node's routing: held back, in order, while its origin node may still write into the ring buffer
 *   (until its {@link Envelope#switched} mark is read there, or it left and what it wrote is read), then delivered
 *   unless the ring buffer brought it already; dropped at once when the session had it in the mirror (this node
 *   reads its own ring buffer late: the dead node had queued the message before).</li>
 * </ul>
 * The deliveries made here reach each session's loop as tasks in the order decided here, their store entries
 * numbered in that order; what this node's routing brings meanwhile waits behind them. What the switch holds back is
 * in this node's memory only until delivered (usually milliseconds).
 */
final class TakeoverGate {
    private static final Logger LOG = LoggerFactory.getLogger(TakeoverGate.class);
    /** How long a move of an adopted session to another node waits for every node to switch over (seconds). */
    static final long MOVE_WAIT_SECONDS = 2;

    private final UUID dead;
    private final MessageStore store;
    private final ClusterCounters counters;
    /** The adopted sessions (added before they join this node's tree). */
    private final Set<Subscriber> sessions = ConcurrentHashMap.newKeySet();
    /** Nodes that may still write into the dead node's ring buffer; guarded by this, as what follows. */
    private final Set<UUID> open;
    /** Nodes that left meanwhile, with the ring buffer position after which nothing of theirs can come. */
    private final Map<UUID, Long> leftAt = new HashMap<>();
    /** The ring buffer position read last. */
    private long readThrough = -1;
    /** Per adopted client id and origin node: the number of the last message delivered. */
    private final Map<String, Map<UUID, Long>> last = new HashMap<>();
    /**
     * Per adopted client id: the identities of the messages its mirror held (queued, or finished by the client) when
     * adopted. Exact, not the highest per node: a node numbers messages in each publisher's order, not across its
     * publishers, and the mirror holds what the dead node read, not a prefix of each node's messages.
     */
    private final Map<String, Set<Origin>> mirrored = new HashMap<>();
    private final List<Held> held = new ArrayList<>();
    /** Per adopted session: the deliveries made here that have not reached its loop yet. */
    private final Map<Subscriber, Integer> queued = new HashMap<>();
    private boolean ended;
    /** Completes once every node switched over (or the switch ended): a move of an adopted session waits for it. */
    private final CompletableFuture<Void> allSwitched = new CompletableFuture<>();

    private record Held(Origin origin, Subscriber target, Publication p, QoS qos, boolean retainFlag,
                        int[] ids) {
    }

    /** @param origins the nodes that may have written into the dead node's ring buffer (this one included) */
    TakeoverGate(UUID dead, Collection<UUID> origins, MessageStore store, ClusterCounters counters) {
        this.dead = dead;
        this.open = new HashSet<>(origins);
        this.open.remove(dead);
        this.store = store;
        this.counters = counters;
    }

    UUID dead() {
        return dead;
    }

    /** What the dead node's ring buffer, read here, brings: every delivery to an adopted session, and the marks. */
    NodeInbox.Gate ringSide() {
        return new NodeInbox.Gate() {
            @Override
            public boolean takes(Origin origin, Subscriber target, Publication p, QoS qos,
                                 boolean retainFlag, int[] ids) {
                fromRing(origin, target, p, qos, retainFlag, ids);
                return true;
            }

            @Override
            public void switched(UUID origin) {
                TakeoverGate.this.switched(origin);
            }

            @Override
            public void read(long position) {
                TakeoverGate.this.read(position);
            }
        };
    }

    /** {@code session} is adopted: from now on its deliveries go through here. */
    void adopted(Subscriber session) {
        sessions.add(session);
    }

    boolean covers(Subscriber target) {
        return sessions.contains(target);
    }

    /** The adopted session {@code clientId} has the message {@code origin} already (read from the ring buffer). */
    synchronized void had(String clientId, Origin origin) {
        if (origin != null) {
            last.computeIfAbsent(clientId, id -> new HashMap<>()).merge(origin.node(), origin.seq(), Math::max);
        }
    }

    /** The adopted session {@code clientId} had the messages {@code ids} in the mirror (before it joins the tree). */
    synchronized void mirrored(String clientId, Set<Origin> ids) {
        if (!ids.isEmpty()) {
            mirrored.put(clientId, ids);
        }
    }

    /**
     * This node's routing brings a message for an adopted session: held back, dropped as a copy, or left to the
     * router (which makes it now, on its thread: the store writes of one message stay together there).
     *
     * @return whether the switch took it (held or dropped)
     */
    synchronized boolean fromHere(Origin origin, Subscriber target, Publication p, QoS qos,
                                  boolean retainFlag, int[] ids) {
        if (hadAlready(target.clientId(), origin)) {
            counters.takeoverCopies.increment();
            return true;
        }
        if (!ended && open.contains(origin.node()) || queued.getOrDefault(target, 0) > 0) {
            // its origin may still write into the ring buffer, or deliveries made here are on their way to the
            // session's loop: it goes after them
            held.add(new Held(origin, target, p, qos, retainFlag, ids));
            return true;
        }
        last.computeIfAbsent(target.clientId(), id -> new HashMap<>()).put(origin.node(), origin.seq());
        return false;
    }

    /** Whether the session had the message {@code origin}: in its mirror, or delivered here (or replayed) before. */
    private boolean hadAlready(String clientId, Origin origin) {
        Set<Origin> inMirror = mirrored.get(clientId);
        if (inMirror != null && inMirror.contains(origin)) {
            return true;
        }
        Map<UUID, Long> mine = last.get(clientId);
        Long before = mine == null ? null : mine.get(origin.node());
        return before != null && origin.seq() <= before;
    }

    /** The dead node's ring buffer brings a message for an adopted session ({@code origin} null: not numbered). */
    synchronized void fromRing(Origin origin, Subscriber target, Publication p, QoS qos, boolean retainFlag,
                               int[] ids) {
        deliverOnce(origin, target, p, qos, retainFlag, ids);
    }

    /** The ring buffer was read through {@code position}: nodes that left before it was written are done. */
    synchronized void read(long position) {
        readThrough = position;
        for (Iterator<Map.Entry<UUID, Long>> it = leftAt.entrySet().iterator(); it.hasNext(); ) {
            Map.Entry<UUID, Long> e = it.next();
            if (e.getValue() <= position) {
                it.remove();
                switched(e.getKey());
            }
        }
    }

    /** {@code origin} writes nothing more into the dead node's ring buffer: its mark was read there. */
    synchronized void switched(UUID origin) {
        if (open.remove(origin)) {
            release();
            if (open.isEmpty()) {
                allSwitched.complete(null);
                LOG.info("cluster: the sessions adopted from node {} get their messages through this node alone now "
                        + "(every node has switched over)", dead);
            }
        }
    }

    /** {@code origin} left: nothing of it comes after {@code ringTail}, the dead node's ring buffer's last position. */
    synchronized void originLeft(UUID origin, long ringTail) {
        if (!open.contains(origin)) {
            return;
        }
        if (ringTail <= readThrough) {
            switched(origin);
        } else {
            leftAt.put(origin, ringTail);
        }
    }

    /** The switch is over (the ring buffer is no longer read): what is still held is delivered. */
    synchronized void end() {
        if (!open.isEmpty()) {
            LOG.warn("cluster: node(s) {} did not say they had stopped writing to the ring buffer of node {} that "
                    + "left; the messages held for its adopted sessions are delivered now", open, dead);
        }
        ended = true;
        open.clear();
        release();
        allSwitched.complete(null);
    }

    CompletableFuture<Void> switched() {
        return allSwitched;
    }

    /** {@code session} moves to another node: what is held back for it is delivered now, in order, before it goes. */
    synchronized void releaseFor(Subscriber session) {
        release(h -> h.target() == session);
    }

    /** Delivers, in order, what is held back from origins that switched over. */
    private void release() {
        release(h -> !open.contains(h.origin().node()));
    }

    private void release(java.util.function.Predicate<Held> which) {
        List<Held> now = new ArrayList<>();
        for (Iterator<Held> it = held.iterator(); it.hasNext(); ) {
            Held h = it.next();
            if (which.test(h)) {
                it.remove();
                now.add(h);
            }
        }
        now.forEach(h -> deliverOnce(h.origin(), h.target(), h.p(), h.qos(), h.retainFlag(), h.ids()));
    }

    private void deliverOnce(Origin origin, Subscriber target, Publication p, QoS qos, boolean retainFlag,
                             int[] ids) {
        if (target instanceof Session s && s.hasEnded()) {
            return; // moved to another node (with what it had), or over
        }
        if (origin != null) {
            if (hadAlready(target.clientId(), origin)) {
                counters.takeoverCopies.increment();
                return;
            }
            last.computeIfAbsent(target.clientId(), id -> new HashMap<>()).put(origin.node(), origin.seq());
        }
        StoredEntry entry = null;
        if (qos != QoS.AT_MOST_ONCE && store.durable() && target.isPersistent()) {
            entry = new StoredEntry(target.nextStoreSeq(), store.addMessage(p), qos, retainFlag, ids, false, origin);
            store.addEntry(target.clientId(), entry);
        }
        Delivery d = new Delivery(p, qos, retainFlag, ids, entry, false);
        // always queued, never run inline: the session's loop takes them in the order decided here
        queued.merge(target, 1, Integer::sum);
        target.executor().execute(() -> {
            target.enqueueOrSend(d);
            arrived(target);
        });
    }

    /** A delivery made here reached the session's loop: what waited behind it may follow. */
    private synchronized void arrived(Subscriber target) {
        if (queued.merge(target, -1, Integer::sum) == 0) {
            queued.remove(target);
            release();
        }
    }
}
