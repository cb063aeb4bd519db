package org.wrenmq.broker.cluster;

import com.hazelcast.core.HazelcastInstance;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.wrenmq.api.QoS;
import org.wrenmq.broker.message.Publication;
import org.wrenmq.broker.routing.Delivery;
import org.wrenmq.broker.session.Session;
import org.wrenmq.broker.session.SessionRegistry;
import org.wrenmq.broker.store.SessionBytes;
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
 * messages both had is known by the adoption ({@link AdoptedCopies}): the adopter knows the lone node's entry numbers
 * of the messages it adopted, and its own entry numbers for them. So:
 * <ul>
 *   <li>the adopted copy ending leaves out the messages it got with the adoption: the lone node's copy has them, or
 *   its client finished them there; it hands over what it queued after the adoption;</li>
 *   <li>the lone node's copy ending hands over what it queued after the split began (what it held then was mirrored:
 *   the adopted copy has it, or its client finished it, wherever that copy moved since); the adopter also leaves out
 *   the messages numbered as those it
 *   adopted, and those that came through the lone node's ring buffer (written before the split, they were in the
 *   adopter's copy of that ring buffer, which it replayed and read on): it takes in what was published on the lone
 *   side during the split, and what the lone node had not mirrored to the majority.</li>
 * </ul>
 * A session kept on a node that did not adopt it (it moved on during the split) knows no message as adopted: it takes
 * in everything handed over. Counters {@code cluster.split_brain.messages_handed_over} (taken in by the kept copy)
 * and {@code cluster.split_brain.handover_copies_dropped} (left out as the kept copy's own); one log line per session
 * on each side.
 *
 * <p>Travels on a plain topic of the kept node's, as a session move does: a kind byte, the ending node's id, a number
 * of its own for this hand-over, the entry numbers that came through its ring buffer, then the messages in
 * {@link SessionBytes}' format. The kept node confirms on the ending node's topic; the ending node sends it again
 * every {@link #RETRY_MILLIS} until confirmed, {@link #ATTEMPTS} times at most (then logs and counts
 * {@code cluster.split_brain.handover_unconfirmed}); the kept node takes each hand-over in once.
 */
final class SplitHandOver {
    private static final Logger LOG = LoggerFactory.getLogger(SplitHandOver.class);
    /** How long the ending node waits for the kept node's confirmation before sending the messages again. */
    static final long RETRY_MILLIS = 1_000;
    /** How many times the ending node sends them at most. */
    static final int ATTEMPTS = 10;
    /** How many hand-overs taken in the kept node remembers, to take one sent again only once. */
    private static final int REMEMBERED = 10_000;
    private static final byte MESSAGES = 0;
    private static final byte CONFIRMED = 1;

    private final HazelcastInstance hazelcast;
    private final UUID self;
    private final SessionRegistry sessions;
    private final SessionMirror mirror;
    private final AdoptedCopies adopted;
    private final ClusterCounters counters;
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

    SplitHandOver(HazelcastInstance hazelcast, SessionRegistry sessions, SessionMirror mirror, AdoptedCopies adopted,
                  ClusterCounters counters) {
        this.hazelcast = hazelcast;
        this.self = NodeIds.self(hazelcast);
        this.sessions = sessions;
        this.mirror = mirror;
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
        boolean keptOnOrigin = copy != null && copy.from().equals(keptOn);
        List<StoredEntry> entries = new ArrayList<>();
        Map<Long, Publication> messages = new HashMap<>();
        List<Long> throughRing = new ArrayList<>();
        long unnumbered = 0;
        int left = 0;
        for (Delivery d : ending.unfinished()) {
            if (d.qos() == QoS.AT_MOST_ONCE) {
                continue;
            }
            long seq = d.stored() == null ? --unnumbered : d.stored().seq();
            if (keptOnOrigin && copy.ownSeqs().contains(seq) || seq > 0 && seq <= adoptedUpTo) {
                left++;
                continue;
            }
            entries.add(new StoredEntry(seq, seq, d.qos(), d.retainFlag(), d.subscriptionIds(), false));
            messages.put(seq, d.publication());
            if (seq > 0 && mirror.cameThroughRing(ending.clientId(), seq)) {
                throughRing.add(seq);
            }
        }
        counters.splitHandOverCopies.add(left);
        if (entries.isEmpty()) {
            return 0;
        }
        byte[] session = SessionBytes.encode(new StoredSession(ending.clientId(), 0, 0, List.of(), null, 0, entries,
                List.of(), messages));
        long id = lastId.incrementAndGet();
        ByteBuffer bytes = header(MESSAGES, id, 4 + 8 * throughRing.size() + session.length).putInt(throughRing.size());
        throughRing.forEach(bytes::putLong);
        unconfirmed.add(id);
        send(ending, keptOn, id, bytes.put(session).array(), 1, entries.size());
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

    private ByteBuffer header(byte kind, long id, int more) {
        return ByteBuffer.allocate(1 + 16 + 8 + more).put(kind).putLong(self.getMostSignificantBits())
                .putLong(self.getLeastSignificantBits()).putLong(id);
    }

    /** A hand-over or a confirmation arrived (on a Hazelcast thread). */
    private void arrived(byte[] bytes) {
        ByteBuffer in = ByteBuffer.wrap(bytes);
        byte kind = in.get();
        UUID from = new UUID(in.getLong(), in.getLong());
        long id = in.getLong();
        if (kind == CONFIRMED) {
            unconfirmed.remove(id);
            return;
        }
        hazelcast.<byte[]>getTopic(topic(from)).publish(header(CONFIRMED, id, 0).array());
        synchronized (taken) {
            if (taken.put(new Taken(from, id), Boolean.TRUE) != null) {
                return; // sent again before our confirmation arrived
            }
        }
        received(from, in, bytes);
    }

    /** An ending copy's messages: the kept copy takes in those it lacks. */
    private void received(UUID from, ByteBuffer in, byte[] bytes) {
        Set<Long> throughRing = new HashSet<>();
        for (int n = in.getInt(); n > 0; n--) {
            throughRing.add(in.getLong());
        }
        StoredSession left;
        try {
            left = SessionBytes.decode(Arrays.copyOfRange(bytes, in.position(), bytes.length));
        } catch (StoreCorruptException e) {
            LOG.warn("cluster: the messages node {} handed over after the split brain cannot be read ({}); dropped",
                    from, e.getMessage());
            return;
        }
        Session kept = sessions.get(left.clientId());
        if (kept == null || !kept.isPersistent()) {
            LOG.warn("cluster: client '{}': its copy on node {} ended after the split brain and handed over {} "
                    + "message(s), but this node no longer keeps a persistent session for it: dropped",
                    left.clientId(), from, left.entries().size());
            return;
        }
        AdoptedCopies.Copy copy = adopted.of(kept);
        boolean fromOrigin = copy != null && copy.from().equals(from);
        kept.execute(() -> takeIn(kept, from, left, fromOrigin ? copy : null, throughRing));
    }

    /** On the kept session's executor: after what it queued, in the ending copy's order. */
    private void takeIn(Session kept, UUID from, StoredSession left, AdoptedCopies.Copy copy, Set<Long> throughRing) {
        int added = 0;
        int had = 0;
        boolean movedOn = kept.hasEnded();
        for (StoredEntry e : left.entries()) {
            Publication p = left.messages().get(e.messageId());
            if (copy != null && (throughRing.contains(e.seq()) || copy.adopted(e.seq(), p))) {
                had++;
                continue;
            }
            if (movedOn) { // handed over to another node meanwhile: its stub passes them on while it is open
                kept.enqueueOrSend(new Delivery(p, e.qos(), e.retainFlag(), e.subscriptionIds()));
            } else {
                kept.deliverMoved(p, e.qos(), e.retainFlag(), e.subscriptionIds());
            }
            added++;
        }
        counters.splitMessagesHandedOver.add(added);
        counters.splitHandOverCopies.add(had);
        LOG.info("cluster: client '{}': its session copy on node {} ended after the split brain; {} of its message(s) "
                + "added here, {} left out as this copy had them{}", kept.clientId(), from, added, had, movedOn
                ? " (the session moved on to another node meanwhile: passed on only while its stub is open, else lost)"
                : "");
    }
}
