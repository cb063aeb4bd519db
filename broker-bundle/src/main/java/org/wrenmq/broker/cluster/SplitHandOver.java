package org.wrenmq.broker.cluster;

import com.hazelcast.core.HazelcastInstance;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
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
 *   <li>the lone node's copy ending hands over everything; the adopter leaves out the messages numbered as those it
 *   adopted, and those that came through the lone node's ring buffer (written before the split, they were in the
 *   adopter's copy of that ring buffer, which it replayed and read on): it takes in what was published on the lone
 *   side during the split, and what the lone node had not mirrored to the majority.</li>
 * </ul>
 * A session kept on a node that did not adopt it (it moved on during the split) knows no message as adopted: it takes
 * in everything handed over. Counters {@code cluster.split_brain.messages_handed_over} (taken in by the kept copy)
 * and {@code cluster.split_brain.handover_copies_dropped} (left out as the kept copy's own); one log line per session
 * on each side.
 *
 * <p>Travels on a plain topic of the kept node's, as a session move does: ending node id, the entry numbers that came
 * through its ring buffer, then the messages in {@link SessionBytes}' format.
 */
final class SplitHandOver {
    private static final Logger LOG = LoggerFactory.getLogger(SplitHandOver.class);

    private final HazelcastInstance hazelcast;
    private final UUID self;
    private final SessionRegistry sessions;
    private final SessionMirror mirror;
    private final AdoptedCopies adopted;
    private final ClusterCounters counters;

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
            if (keptOnOrigin && copy.ownSeqs().contains(seq)) {
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
        ByteBuffer bytes = ByteBuffer.allocate(16 + 4 + 8 * throughRing.size() + session.length);
        bytes.putLong(self.getMostSignificantBits()).putLong(self.getLeastSignificantBits())
                .putInt(throughRing.size());
        throughRing.forEach(bytes::putLong);
        hazelcast.<byte[]>getTopic(topic(keptOn)).publish(bytes.put(session).array());
        return entries.size();
    }

    /** An ending copy's messages arrived (on a Hazelcast thread): the kept copy takes in those it lacks. */
    private void arrived(byte[] bytes) {
        ByteBuffer in = ByteBuffer.wrap(bytes);
        UUID from = new UUID(in.getLong(), in.getLong());
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
        int taken = 0;
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
            taken++;
        }
        counters.splitMessagesHandedOver.add(taken);
        counters.splitHandOverCopies.add(had);
        LOG.info("cluster: client '{}': its session copy on node {} ended after the split brain; {} of its message(s) "
                + "added here, {} left out as this copy had them{}", kept.clientId(), from, taken, had, movedOn
                ? " (the session moved on to another node meanwhile: passed on only while its stub is open, else lost)"
                : "");
    }
}
