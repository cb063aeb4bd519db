package org.wrenmq.broker.cluster;

import com.hazelcast.map.IMap;
import io.netty.util.concurrent.EventExecutor;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.wrenmq.broker.message.Publication;
import org.wrenmq.broker.routing.Delivery;
import org.wrenmq.broker.session.Session;
import org.wrenmq.broker.session.SessionServices;
import org.wrenmq.broker.store.MessageStore;
import org.wrenmq.broker.store.StoredEntry;
import org.wrenmq.broker.store.StoredSession;

/**
 * When a node dies, one survivor (the oldest member) adopts the persistent sessions it held, from the
 * {@link SessionMirror}: each goes into this node's registry, store and subscription tree, offline, as after a
 * restart (its will, if its client was connected, goes out after its delay; its expiry runs on). Its filters
 * return to the cluster's directory, so messages published from then on reach it, and its client id is claimed
 * here, so that a client resuming on any node gets it moved there.
 */
final class SessionAdoption {
    private static final Logger LOG = LoggerFactory.getLogger(SessionAdoption.class);

    private final SessionMirror mirror;
    private final SessionServices services;
    private final Supplier<EventExecutor> loops;
    private final IMap<String, String> clientOwners;
    private final ClusterCounters counters;

    SessionAdoption(SessionMirror mirror, SessionServices services, Supplier<EventExecutor> loops,
                    IMap<String, String> clientOwners, ClusterCounters counters) {
        this.mirror = mirror;
        this.services = services;
        this.loops = loops;
        this.clientOwners = clientOwners;
        this.counters = counters;
    }

    /** Adopts what {@code gone} held; on the cluster writer thread, after its client ids were freed. */
    void nodeLeft(UUID gone) {
        List<StoredSession> sessions;
        try {
            sessions = mirror.sessionsOf(gone);
        } catch (RuntimeException e) {
            LOG.error("cluster: the persistent sessions of node {} that left cannot be read from the cluster: {}",
                    gone, e.toString());
            return;
        }
        int adopted = 0;
        long messages = 0;
        for (StoredSession s : sessions) {
            if (adopt(s)) {
                adopted++;
                messages += s.entries().size();
            }
        }
        mirror.forget(gone);
        if (!sessions.isEmpty()) {
            LOG.warn("cluster: adopted {} persistent session(s) with {} queued message(s) of node {} that left",
                    adopted, messages, gone);
        }
    }

    private boolean adopt(StoredSession s) {
        String clientId = s.clientId();
        Session present = services.sessions().get(clientId);
        if (present != null) {
            return handToPresent(present, s);
        }
        long now = services.clock().millis();
        MessageStore store = services.store();
        List<StoredEntry> entries = new ArrayList<>(s.entries().size());
        Map<Long, Publication> messages = new HashMap<>();
        for (StoredEntry e : s.entries()) {
            Publication p = s.messages().get(e.messageId());
            long id = store.addMessage(p);
            // the entry keeps its number, so an in-flight message is resent with the packet id it had
            StoredEntry mine = new StoredEntry(e.seq(), id, e.qos(), e.retainFlag(), e.subscriptionIds(),
                    e.released());
            store.addEntry(clientId, mine);
            entries.add(mine);
            messages.put(id, p);
        }
        long offlineSince = s.disconnectedAtMillis() == 0 ? now : s.disconnectedAtMillis();
        store.saveSession(new StoredSession(clientId, s.expiryIntervalSeconds(), offlineSince, s.subscriptions(),
                s.will(), s.willDelaySeconds(), List.of(), List.of(), Map.of()));
        StoredSession adopted = new StoredSession(clientId, s.expiryIntervalSeconds(), offlineSince,
                s.subscriptions(), s.will(), s.willDelaySeconds(), entries, s.incomingQos2(), messages);
        Session session = new Session(clientId, loops.get(), services);
        if (services.sessions().open(clientId, false, id -> session).session() != session) {
            notAdopted(s, "its client connected here again first");
            return false;
        }
        session.execute(() -> session.restore(adopted, now));
        clientOwners.putIfAbsent(clientId, mirror.self().toString());
        counters.sessionsAdopted.increment();
        return true;
    }

    /**
     * The client connected here again before its session was adopted and got a new one: if that one is persistent
     * too, the old session's messages join its queue (its subscriptions are those the client made anew).
     */
    private boolean handToPresent(Session present, StoredSession s) {
        if (!present.isPersistent()) {
            notAdopted(s, "its client connected here again first, with a clean session");
            return false;
        }
        MessageStore store = services.store();
        for (StoredEntry e : s.entries()) {
            Publication p = s.messages().get(e.messageId());
            StoredEntry mine = null;
            if (e.qos() != org.wrenmq.api.QoS.AT_MOST_ONCE) {
                mine = new StoredEntry(present.nextStoreSeq(), store.addMessage(p), e.qos(), e.retainFlag(),
                        e.subscriptionIds(), false);
                store.addEntry(s.clientId(), mine);
            }
            Delivery d = new Delivery(p, e.qos(), e.retainFlag(), e.subscriptionIds(), mine, true);
            present.execute(() -> present.enqueueOrSend(d));
        }
        counters.sessionsAdopted.increment();
        return true;
    }

    private void notAdopted(StoredSession s, String why) {
        counters.sessionsNotAdopted.increment();
        LOG.warn("cluster: the session of client '{}' from a node that left was not adopted ({}): its {} queued "
                + "message(s) are dropped", s.clientId(), why, s.entries().size());
    }
}
