package org.wrenmq.broker.cluster;

import com.hazelcast.core.HazelcastInstance;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.wrenmq.api.QoS;
import org.wrenmq.broker.logging.LogThrottle;
import org.wrenmq.broker.message.Origin;
import org.wrenmq.broker.message.Publication;
import org.wrenmq.broker.routing.Delivery;
import org.wrenmq.broker.session.Session;
import org.wrenmq.broker.session.SessionRegistry;
import org.wrenmq.broker.store.StoreCorruptException;
import org.wrenmq.broker.store.StoredEntry;
import org.wrenmq.broker.store.StoredSession;

/**
 * After a split brain, a persistent session held on both sides keeps one copy ({@link SplitBrainMerge}); the copy that
 * ends hands the QoS 1/2 messages its client has not finished (in flight before PUBREC, and queued) to the kept copy,
 * as a node hands a session over when it moves: the ending node is the old node, the kept copy takes them in after
 * what it queued itself, in the ending copy's order (so each publisher's order among them holds).
 *
 * <p>Both copies began as one: the majority adopted the lone node's session from the mirror (and from that node's
 * ring buffer), so both may hold the same messages, and the client may have finished one on one side only. Which
 * messages both had is known by the adoption ({@link AdoptedCopies}): the identities ({@link Origin}) of the messages
 * that came with it, mirrored or replayed from the lone node's ring buffer. So:
 * <ul>
 *   <li>the adopted copy ending leaves out the messages it got with the adoption: the lone node's copy has them, or
 *   its client finished them there; it hands over what it queued after the adoption;</li>
 *   <li>the lone node's copy ending hands over what it queued after the split began (what it held then was mirrored:
 *   the adopted copy has it, or its client finished it, wherever that copy moved since); the adopter also leaves out
 *   the messages that came with the adoption (the lone node may have read one from its ring buffer only after the
 *   split began): it takes in what was published on the lone side during the split.</li>
 * </ul>
 * A message without an identity (QoS 1/2 messages have one from the node that routed them, kept when their session
 * moves between nodes and in the node's store; one the previous version stored or mirrored has none) is recognised
 * only where it came with the adoption, by its entry number on the adopter; otherwise it is handed over and taken
 * in: a second delivery rather than a loss. An adopted session that moved on to another node took what came with
 * its adoption along (identities only: entry numbers are the adopter's), so that node tells the messages apart the
 * same way. Counters {@code cluster.split_brain.messages_handed_over} (taken in by
 * the kept copy), {@code cluster.split_brain.handover_copies_dropped} (left out as the kept copy's own) and
 * {@code cluster.split_brain.handover_dropped} (hand-overs the kept node could not read, or for a client it keeps no
 * persistent session of any more) and {@code cluster.split_brain.handovers_forwarded} (passed on to the node the kept
 * session moved on to); one log line per session on each side.
 *
 * <p>Travels on a plain topic of the kept node's, as a session move does ({@link SplitHandOverBytes}). The kept node
 * confirms on the ending node's topic; the ending node sends it again every {@link #RETRY_MILLIS} until confirmed,
 * {@link #ATTEMPTS} times at most (then logs and counts {@code cluster.split_brain.handover_unconfirmed}); the kept
 * node takes each hand-over in once.
 */
final class SplitHandOver {
    private static final Logger LOG = LoggerFactory.getLogger(SplitHandOver.class);
    /** How long the ending node waits for the kept node's confirmation before sending the messages again. */
    static final long RETRY_MILLIS = 1_000;
    /** How many times the ending node sends them at most. */
    static final int ATTEMPTS = 10;
    /** How often a hand-over for a session this node is fetching from another node looks again whether it came. */
    private static final long MOVE_POLL_MILLIS = 100;
    /** How long it waits for that session at most: as long as the client's CONNECT waits for it. */
    private static final long MOVE_WAIT_MILLIS = TimeUnit.SECONDS.toMillis(SessionMoves.MOVE_TIMEOUT_SECONDS);
    /** How many hand-overs taken in the kept node remembers, to take one sent again only once. */
    private static final int REMEMBERED = 10_000;

    private final HazelcastInstance hazelcast;
    private final UUID self;
    private final SessionRegistry sessions;
    private final AdoptedCopies adopted;
    private final SessionMoves moves;
    private final ClusterCounters counters;
    /** One line per sending node a minute for hand-overs dropped on arrival. */
    private final LogThrottle droppedLog = LogThrottle.perMinute();
    private final AtomicLong lastId = new AtomicLong();
    /** Hand-overs sent and not confirmed yet, by number. */
    private final Set<Long> unconfirmed = ConcurrentHashMap.newKeySet();
    /** Hand-overs taken in lately: guarded by itself. */
    private final Map<Taken, Boolean> taken = new LinkedHashMap<>(16, 0.75f, false) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<Taken, Boolean> eldest) {
            return size() > REMEMBERED;
        }
    };

    private record Taken(UUID from, long id) {
    }

    /**
     * For each persistent session here when this side lost the others without taking them over (a minority, or a
     * node just out of a pause), the highest number of the entries it held then: those were mirrored, so the side
     * that adopted the session has them, or its client finished them there. Its copy ending here hands over only
     * what it queued after that.
     */
    private final Map<String, Long> queuedBeforeTheSplit = new ConcurrentHashMap<>();
    private volatile boolean splitNoted;

    SplitHandOver(HazelcastInstance hazelcast, SessionRegistry sessions, AdoptedCopies adopted, SessionMoves moves,
                  ClusterCounters counters) {
        this.moves = moves;
        this.hazelcast = hazelcast;
        this.self = NodeIds.self(hazelcast);
        this.sessions = sessions;
        this.adopted = adopted;
        this.counters = counters;
    }

    static String topic(UUID node) {
        return HazelcastSetup.MAP_PREFIX + "node." + node + ".split";
    }

    void start() {
        MergeListeners.of(hazelcast).topic(hazelcast.<byte[]>getTopic(topic(self)), m -> arrived(m.getMessageObject()));
    }

    /**
     * Sends what {@code ending} has not finished to its copy kept on {@code keptOn}; on the session's executor, just
     * before it ends.
     *
     * @return how many messages were handed over
     */
    int handOver(Session ending, UUID keptOn) {
        Long before = queuedBeforeTheSplit.remove(ending.clientId());
        long adoptedUpTo = before == null ? 0 : before;
        AdoptedCopies.Copy copy = adopted.of(ending);
        boolean keptWhereAdoptedFrom = copy != null && copy.from().equals(keptOn);
        List<StoredEntry> entries = new ArrayList<>();
        Map<Long, Publication> messages = new HashMap<>();
        long unnumbered = 0;
        int left = 0;
        for (Delivery d : ending.unfinished()) {
            if (d.qos() == QoS.AT_MOST_ONCE) {
                continue;
            }
            StoredEntry stored = d.stored();
            long seq = stored == null ? --unnumbered : stored.seq();
            boolean cameWithAdoption = keptWhereAdoptedFrom && stored != null && copy.cameWithAdoption(stored);
            if (cameWithAdoption || seq > 0 && seq <= adoptedUpTo) {
                left++;
                continue;
            }
            entries.add(new StoredEntry(seq, seq, d.qos(), d.retainFlag(), d.subscriptionIds(), false,
                    stored == null ? null : stored.origin()));
            messages.put(seq, d.publication());
        }
        counters.splitHandOverCopies.add(left);
        if (entries.isEmpty()) {
            return 0;
        }
        long id = lastId.incrementAndGet();
        byte[] bytes = SplitHandOverBytes.messages(self, id, new StoredSession(ending.clientId(), 0, 0, List.of(),
                null, 0, entries, List.of(), messages));
        unconfirmed.add(id);
        send(ending, keptOn, id, bytes, 1, entries.size());
        return entries.size();
    }

    /**
     * This side lost the other nodes and takes none of them over: notes what each persistent session here holds now
     * (once per split; on each session's executor).
     */
    void splitBegan() {
        if (splitNoted) {
            return;
        }
        splitNoted = true;
        queuedBeforeTheSplit.clear();
        for (Session session : sessions.all()) {
            if (session.isPersistent()) {
                session.execute(() -> queuedBeforeTheSplit.put(session.clientId(), session.unfinished().stream()
                        .filter(d -> d.stored() != null).mapToLong(d -> d.stored().seq()).max().orElse(0)));
            }
        }
    }

    /** This side merged back: the next split is noted anew (the notes of the sessions ending now stay until used). */
    void merged() {
        splitNoted = false;
    }

    /** Sends the hand-over {@code id}, and again after {@link #RETRY_MILLIS} unless confirmed meanwhile. */
    private void send(Session ending, UUID keptOn, long id, byte[] bytes, int attempt, int count) {
        if (!unconfirmed.contains(id)) {
            return;
        }
        if (attempt > ATTEMPTS || !NodeIds.isMember(hazelcast, keptOn)) {
            unconfirmed.remove(id);
            counters.splitHandOverUnconfirmed.increment();
            LOG.warn("cluster: client '{}': node {}, where its session is kept after the split brain, did not confirm "
                    + "the {} message(s) handed over to it (sent {} time(s)); they may be lost", ending.clientId(),
                    keptOn, count, attempt - 1);
            return;
        }
        hazelcast.<byte[]>getTopic(topic(keptOn)).publish(bytes);
        ending.executor().schedule(() -> send(ending, keptOn, id, bytes, attempt + 1, count), RETRY_MILLIS,
                TimeUnit.MILLISECONDS);
    }

    /** A hand-over or a confirmation arrived (on a Hazelcast thread). */
    private void arrived(byte[] bytes) {
        SplitHandOverBytes.Header h;
        try {
            h = SplitHandOverBytes.header(bytes);
        } catch (StoreCorruptException e) {
            dropped("?", "a hand-over after the split brain that cannot be read (" + e.getMessage() + ")");
            return;
        }
        if (h.kind() == SplitHandOverBytes.CONFIRMED) {
            unconfirmed.remove(h.id());
            return;
        }
        // confirmed even when it cannot be read: sent again, it would not be read either
        hazelcast.<byte[]>getTopic(topic(h.from())).publish(SplitHandOverBytes.confirmed(self, h.id()));
        synchronized (taken) {
            if (taken.put(new Taken(h.from(), h.id()), Boolean.TRUE) != null) {
                return; // sent again before our confirmation arrived
            }
        }
        received(h, bytes, 0);
    }

    /**
     * An ending copy's messages: the kept copy takes in those it lacks.
     *
     * @param waited how long the hand-over has waited for its session to move in here
     */
    private void received(SplitHandOverBytes.Header h, byte[] bytes, long waited) {
        UUID from = h.from();
        StoredSession left;
        try {
            left = SplitHandOverBytes.session(h, bytes);
        } catch (StoreCorruptException e) {
            dropped(from.toString(), "the messages node " + from + " handed over after the split brain cannot be read ("
                    + e.getMessage() + ")");
            return;
        }
        Session kept = sessions.get(left.clientId());
        if (kept == null && moves.fetching(left.clientId()) && waited < MOVE_WAIT_MILLIS) {
            // the session is on its way here (a hand-over passed on by the node it left): taken in once it came
            CompletableFuture.delayedExecutor(MOVE_POLL_MILLIS, TimeUnit.MILLISECONDS)
                    .execute(() -> received(h, bytes, waited + MOVE_POLL_MILLIS));
            return;
        }
        if (kept == null || kept.hasEnded()) {
            follow(h, bytes, left);
            return;
        }
        if (!kept.isPersistent()) {
            droppedFor(from, left);
            return;
        }
        AdoptedCopies.Copy copy = adopted.of(kept);
        boolean fromWhereAdopted = copy != null && copy.from().equals(from);
        kept.execute(() -> {
            if (kept.hasEnded()) { // moved on meanwhile
                follow(h, bytes, left);
            } else {
                takeIn(kept, from, left, fromWhereAdopted ? copy : null);
            }
        });
    }

    private void follow(SplitHandOverBytes.Header h, byte[] bytes, StoredSession left) {
        hazelcast.<String, String>getMap(ClientOwners.MAP).getAsync(left.clientId())
                .thenAccept(owner -> followOrDrop(h, bytes, left, owner));
    }

    /**
     * No session here for the hand-over's client (or one that just ended): it moved on to another node since the
     * merge chose this copy (its client resumed there before the hand-over came). The hand-over follows it, as the ending node would have sent
     * it there; that node takes it in once and confirms it too. Each node takes a hand-over in at most once, so
     * one passed back and forth stops at the second visit. The client id map names the new node only once the
     * client's CONNECT goes on there: until then the node this one handed the session to.
     */
    private void followOrDrop(SplitHandOverBytes.Header h, byte[] bytes, StoredSession left, String owner) {
        UUID now = owner == null ? null : UUID.fromString(owner);
        if (now == null || now.equals(self)) {
            now = moves.handedTo(left.clientId());
        }
        if (now == null || now.equals(self) || !NodeIds.isMember(hazelcast, now)) {
            droppedFor(h.from(), left);
            return;
        }
        counters.splitHandOversForwarded.increment();
        LOG.info("cluster: client '{}': its session copy on node {} ended after the split brain; its session moved on "
                + "from here to node {}: {} message(s) handed over passed on there", left.clientId(), h.from(), now,
                left.entries().size());
        hazelcast.<byte[]>getTopic(topic(now)).publish(bytes);
    }

    private void droppedFor(UUID from, StoredSession left) {
        dropped(from.toString(), "client '" + left.clientId() + "': its copy on node " + from + " ended after the "
                + "split brain and handed over " + left.entries().size() + " message(s), but this node no longer "
                + "keeps a persistent session for it");
    }

    /** A hand-over arrived that no session here takes in: counted, and logged once a minute per sending node. */
    private void dropped(String from, String what) {
        counters.splitHandOversDropped.increment();
        if (droppedLog.admit(from)) {
            LOG.warn("cluster: {}: dropped{}", what, droppedLog.suppressedNote());
        }
    }

    /** On the kept session's executor, while it lives here: after what it queued, in the ending copy's order. */
    private void takeIn(Session kept, UUID from, StoredSession left, AdoptedCopies.Copy copy) {
        int added = 0;
        int had = 0;
        for (StoredEntry e : left.entries()) {
            Publication p = left.messages().get(e.messageId());
            if (copy != null && copy.had(e.origin())) {
                had++;
                continue;
            }
            kept.deliverMoved(p, e.qos(), e.retainFlag(), e.subscriptionIds(), e.origin());
            added++;
        }
        counters.splitMessagesHandedOver.add(added);
        counters.splitHandOverCopies.add(had);
        LOG.info("cluster: client '{}': its session copy on node {} ended after the split brain; {} of its message(s) "
                + "added here, {} left out as this copy had them", kept.clientId(), from, added, had);
    }
}
