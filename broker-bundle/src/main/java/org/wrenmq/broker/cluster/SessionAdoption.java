package org.wrenmq.broker.cluster;

import com.hazelcast.core.HazelcastInstance;
import com.hazelcast.map.IMap;
import com.hazelcast.topic.ITopic;
import io.netty.util.concurrent.EventExecutor;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.HashSet;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.wrenmq.api.QoS;
import org.wrenmq.broker.message.Publication;
import org.wrenmq.broker.routing.Delivery;
import org.wrenmq.broker.routing.Router;
import org.wrenmq.broker.routing.SubscriptionTree;
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

    /**
     * How long the adopter reads a dead node's ring buffer after adopting its sessions: the other nodes forward
     * messages for the dead node's filters there until they learn the filters are gone (milliseconds, usually).
     */
    static final long FOLLOW_SECONDS = 60;

    private final HazelcastInstance hazelcast;
    private final SessionMirror mirror;
    private final SessionServices services;
    private final Supplier<EventExecutor> loops;
    private final IMap<String, String> clientOwners;
    private final ClusterCounters counters;
    private final Executor writer;
    private final Takeovers takeovers;
    /** What ends the following of each node whose ring buffer this node reads after adopting its sessions. */
    private final Map<UUID, Runnable> following = new ConcurrentHashMap<>();
    /** What each adopted session got with its adoption, should the node that left come back ({@link SplitHandOver}). */
    private final AdoptedCopies copies;

    SessionAdoption(HazelcastInstance hazelcast, SessionMirror mirror, SessionServices services,
                    Supplier<EventExecutor> loops, ClusterCounters counters, Executor writer, Takeovers takeovers,
                    AdoptedCopies copies) {
        this.takeovers = takeovers;
        this.copies = copies;
        this.hazelcast = hazelcast;
        this.mirror = mirror;
        this.services = services;
        this.loops = loops;
        this.clientOwners = hazelcast.getMap(ClientOwners.MAP);
        this.counters = counters;
        this.writer = writer;
    }

    /**
     * Adopts what {@code gone} held, with the messages of its ring buffer it had not mirrored yet, then follows its
     * ring buffer for {@link #FOLLOW_SECONDS} before destroying it; on the cluster writer thread, after its client
     * ids were freed and before its filters leave the directory.
     */
    void nodeLeft(UUID gone) {
        List<SessionMirror.Held> sessions;
        InboxReplay.Tail unmirrored;
        try {
            sessions = mirror.sessionsOf(gone);
            unmirrored = sessions.isEmpty() ? new InboxReplay.Tail(List.of(), -1)
                    : InboxReplay.after(hazelcast, gone, InboxProgress.mirroredThrough(hazelcast, gone), counters);
        } catch (RuntimeException e) {
            LOG.error("cluster: the persistent sessions of node {} that left cannot be read from the cluster: {}",
                    gone, e.toString());
            destroyInbox(gone);
            return;
        }
        List<Session> adopted = new ArrayList<>();
        List<CompletableFuture<Void>> restored = new ArrayList<>();
        long messages = 0;
        long replayed = 0;
        Map<Long, Set<Envelope.GroupKey>> groupsServed = new HashMap<>();
        TakeoverGate gate = null;
        if (!sessions.isEmpty()) {
            // before the sessions join this node's tree: from then on their deliveries go through the switch
            gate = new TakeoverGate(gone, hazelcast.getCluster().getMembers().stream().map(NodeIds::of).toList(),
                    services.store(), counters);
            gate.read(unmirrored.next() - 1);
            takeovers.add(gate);
        }
        for (SessionMirror.Held held : sessions) {
            gate.mirrored(held.session().clientId(), held.hadIds());
            StoredSession s = withUnmirrored(held, unmirrored.messages(), groupsServed, gate);
            Session session = adopt(s, restored, gate);
            if (session != null) {
                copies.adopted(gone, session, held.hadIds(), s.entries());
                adopted.add(session);
                messages += s.entries().size();
                replayed += s.entries().size() - held.session().entries().size();
            }
        }
        if (sessions.isEmpty()) {
            destroyInbox(gone);
            return;
        }
        LOG.warn("cluster: adopted {} persistent session(s) with {} queued message(s) of node {} that left ({} of "
                + "them from its ring buffer, not mirrored yet)", adopted.size(), messages, gone, replayed);
        // once the cluster holds the adopted copies (written on this thread): should this node die before, a
        // survivor still finds the sessions under the dead node's name
        services.store().afterCommit(writer, () -> mirror.forget(gone));
        try {
            CompletableFuture.allOf(restored.toArray(CompletableFuture[]::new)).get(30, TimeUnit.SECONDS);
        } catch (Exception e) {
            LOG.warn("cluster: the adopted sessions of node {} took too long to restore: {}", gone, e.toString());
        }
        follow(gone, unmirrored.next(), adopted, gate);
    }

    /** A node left: the switches under way wait for its mark no longer than until what it wrote was read. */
    void originLeft(UUID node) {
        takeovers.originLeft(node, gate -> ringOf(gate.dead()).tailSequence());
    }

    private com.hazelcast.ringbuffer.Ringbuffer<Object> ringOf(UUID node) {
        return hazelcast.getRingbuffer(HazelcastSetup.RELIABLE_TOPIC_RING_BUFFER + NodeInbox.reliableTopicName(node));
    }

    /**
     * Reads on in the dead node's ring buffer, routing what arrives to the adopted sessions only (this node's own
     * subscribers get their copies through this node's own ring buffer), through the switch.
     */
    private void follow(UUID gone, long from, List<Session> adopted, TakeoverGate gate) {
        SubscriptionTree tree = new SubscriptionTree();
        adopted.forEach(session -> session.subscriptions().forEach(tree::add));
        Router router = new Router(tree, services.retained(), services.store(), services.metrics(), false);
        ITopic<byte[]> topic = hazelcast.getReliableTopic(NodeInbox.reliableTopicName(gone));
        UUID listener = topic.addMessageListener(new NodeInbox(router, counters, gate.ringSide()).reliable(null, from, last -> { }));
        following.put(gone, () -> {
            topic.removeMessageListener(listener);
            gate.end();
            takeovers.remove(gate);
        });
        CompletableFuture.delayedExecutor(FOLLOW_SECONDS, TimeUnit.SECONDS).execute(() -> writer.execute(() -> {
            stopFollowing(gone);
            destroyInbox(gone);
        }));
    }

    /**
     * A node this node took for dead is a member again (its side merged back after a split brain): it reads its
     * ring buffer itself again, so this node stops reading it (each message would reach the adopted sessions a
     * second time) and leaves it in place.
     */
    void nodeBack(UUID node) {
        if (stopFollowing(node)) {
            LOG.info("cluster: node {} is back after a split brain: this node no longer reads its ring buffer", node);
        }
    }

    private boolean stopFollowing(UUID node) {
        Runnable stop = following.remove(node);
        if (stop != null) {
            stop.run();
        }
        return stop != null;
    }

    /** No one reads the node's ring buffer any more, unless it merged back after a split brain meanwhile. */
    private void destroyInbox(UUID gone) {
        if (NodeInbox.destroyIfGone(hazelcast, gone)) {
            InboxProgress.forget(hazelcast, gone);
        }
    }

    /**
     * The session with the messages of the dead node's ring buffer it should have got and the mirror lacks,
     * matched against its subscriptions as the router does (the highest granted QoS of its matching filters, no
     * local, retain as published; a shared group's message only for the one adopted member of a group the dead
     * node had picked). They take their place by ring buffer position among the mirrored messages that came
     * through the ring buffer too (the mirror's writes complete out of order), so each publisher's order holds;
     * the entries are then numbered again.
     */
    private StoredSession withUnmirrored(SessionMirror.Held held, List<InboxReplay.Forwarded> unmirrored,
                                         Map<Long, Set<Envelope.GroupKey>> groupsServed, TakeoverGate gate) {
        StoredSession s = held.session();
        List<StoredEntry> missing = new ArrayList<>();
        List<Long> missingAt = new ArrayList<>();
        Map<Long, Publication> messages = new HashMap<>(s.messages());
        long id = Long.MIN_VALUE; // the mirror's message ids are the dead node's store ids: never negative
        for (InboxReplay.Forwarded f : unmirrored) {
            if (held.has(f.ringSeq()) || held.has(f.envelope().origin())) {
                continue;
            }
            StoredEntry entry = replayed(s, f, id, groupsServed);
            if (entry != null) {
                gate.had(s.clientId(), f.envelope().origin());
                missing.add(entry);
                missingAt.add(f.ringSeq());
                messages.put(id++, f.envelope().publication());
            }
        }
        if (missing.isEmpty()) {
            return s;
        }
        List<StoredEntry> merged = new ArrayList<>(s.entries().size() + missing.size());
        int next = 0;
        for (StoredEntry e : s.entries()) {
            Long at = held.ringSeqs().get(e.seq());
            while (at != null && next < missing.size() && missingAt.get(next) < at) {
                merged.add(missing.get(next++));
            }
            merged.add(e);
        }
        merged.addAll(missing.subList(next, missing.size()));
        return new StoredSession(s.clientId(), s.expiryIntervalSeconds(), s.disconnectedAtMillis(), s.subscriptions(),
                s.will(), s.willDelaySeconds(), numbered(merged, s.entries()), s.incomingQos2(), messages);
    }

    /**
     * The entries numbered anew in their order. A mirrored one keeps its packet id: the client may have it under
     * that id (awaiting PUBREL at QoS 2, where another id would be a new message to it) [MQTT-4.4.0-1]. A replayed
     * one (numbered 0 until now: never sent) takes an id none of them has.
     */
    private static List<StoredEntry> numbered(List<StoredEntry> merged, List<StoredEntry> mirrored) {
        Set<Integer> taken = new HashSet<>();
        mirrored.forEach(e -> taken.add(e.packetId()));
        List<StoredEntry> entries = new ArrayList<>(merged.size());
        long seq = 0;
        for (StoredEntry e : merged) {
            if (e.seq() == 0) {
                do {
                    seq++;
                } while (taken.contains(StoredEntry.packetIdOf(seq)));
            } else {
                seq = StoredEntry.seqAfter(seq, e.packetId());
            }
            entries.add(new StoredEntry(seq, e.messageId(), e.qos(), e.retainFlag(), e.subscriptionIds(),
                    e.released(), e.origin()));
        }
        return entries;
    }

    /** The entry the session gets for one replayed message, or null when none of its subscriptions takes it. */
    private StoredEntry replayed(StoredSession s, InboxReplay.Forwarded f, long id,
                                 Map<Long, Set<Envelope.GroupKey>> groupsServed) {
        Publication p = f.envelope().publication();
        QoS granted = null;
        boolean retainFlag = false;
        int[] ids = Delivery.NO_IDS;
        for (StoredSession.SubscriptionRecord r : s.subscriptions()) {
            if (!services.router().matches(r.topicFilter(), p.topic())
                    || r.noLocal() && s.clientId().equals(p.publisherId())) {
                continue;
            }
            if (r.shareGroup() != null) {
                Envelope.GroupKey group = new Envelope.GroupKey(r.shareGroup(), r.topicFilter());
                if (!f.envelope().sharedGroups().contains(group)
                        || !groupsServed.computeIfAbsent(f.ringSeq(), k -> new HashSet<>()).add(group)) {
                    continue;
                }
            }
            QoS q = QoS.of(r.qos());
            granted = granted == null || q.value() > granted.value() ? q : granted;
            retainFlag |= r.retainAsPublished() && p.retain();
            if (r.subscriptionId() != 0) {
                ids = Arrays.copyOf(ids, ids.length + 1);
                ids[ids.length - 1] = r.subscriptionId();
            }
        }
        QoS qos = granted == null ? QoS.AT_MOST_ONCE : p.qos().min(granted);
        // an offline session queues no QoS 0 message
        return qos == QoS.AT_MOST_ONCE ? null : new StoredEntry(0, id, qos, retainFlag, ids, false,
                f.envelope().origin());
    }

    /** @return the session adopted here, or null (its messages went to the client's new session, or nowhere) */
    private Session adopt(StoredSession s, List<CompletableFuture<Void>> restored, TakeoverGate gate) {
        String clientId = s.clientId();
        Session present = services.sessions().get(clientId);
        if (present != null) {
            handToPresent(present, s);
            return null;
        }
        long now = services.clock().millis();
        MessageStore store = services.store();
        List<StoredEntry> entries = new ArrayList<>(s.entries().size());
        Map<Long, Publication> messages = new HashMap<>();
        for (StoredEntry e : s.entries()) {
            Publication p = s.messages().get(e.messageId());
            long id = store.addMessage(p);
            // the entry keeps its number (unless replayed messages came between), so an in-flight message is
            // resent with the packet id it had
            StoredEntry mine = new StoredEntry(e.seq(), id, e.qos(), e.retainFlag(), e.subscriptionIds(),
                    e.released(), e.origin());
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
            return null;
        }
        gate.adopted(session);
        for (int packetId : s.incomingQos2()) {
            store.addIncomingQos2(clientId, packetId);
        }
        CompletableFuture<Void> done = new CompletableFuture<>();
        session.execute(() -> {
            session.restore(adopted, now);
            done.complete(null);
        });
        restored.add(done);
        clientOwners.putIfAbsent(clientId, mirror.self().toString());
        counters.sessionsAdopted.increment();
        return session;
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
            if (e.qos() != QoS.AT_MOST_ONCE) {
                mine = new StoredEntry(present.nextStoreSeq(), store.addMessage(p), e.qos(), e.retainFlag(),
                        e.subscriptionIds(), false, e.origin());
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
