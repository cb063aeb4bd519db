package org.wrenmq.broker.cluster;

import com.hazelcast.cluster.Member;
import com.hazelcast.core.HazelcastInstance;
import com.hazelcast.topic.Message;
import com.hazelcast.topic.MessageListener;
import com.hazelcast.topic.ReliableMessageListener;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;
import java.util.function.LongConsumer;
import org.wrenmq.broker.logging.LogThrottle;
import java.util.List;
import org.wrenmq.api.QoS;
import org.wrenmq.broker.message.Origin;
import org.wrenmq.broker.message.Publication;
import org.wrenmq.broker.routing.RemoteNodes.Forwarding;
import org.wrenmq.broker.routing.Router;
import org.wrenmq.broker.routing.Subscriber;
import org.wrenmq.broker.routing.Subscription;
import org.wrenmq.broker.store.StoreCorruptException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * This node's topic: the messages other nodes forward here, routed to this node's subscribers only. Hazelcast
 * calls the listener for one topic on one event thread in the order each sending node published, so messages
 * from one publisher stay in order.
 */
final class NodeInbox implements MessageListener<byte[]> {
    private static final Logger LOG = LoggerFactory.getLogger(NodeInbox.class);

    /**
     * Where deliveries to sessions adopted from a dead node go ({@link TakeoverGate}): this node's own inbox asks
     * the switches under way ({@link Takeovers}); a dead node's inbox read by its adopter hands its switch all.
     */
    interface Gate {
        /** @return whether the gate took the delivery over (the router must not make it) */
        boolean takes(Origin origin, Subscriber target, Publication p, QoS qos, boolean retainFlag,
                      int[] ids);

        /** {@code origin}'s mark that it writes nothing more here was read. */
        default void switched(UUID origin) {
        }

        /** The ring buffer was read through {@code position}. */
        default void read(long position) {
        }
    }

    /**
     * What this thread is routing from another node: who sent it and to which nodes ({@link MoveStub} reads it);
     * not set while a message published on this node is routed.
     */
    static final ThreadLocal<Arrival> ARRIVING = new ThreadLocal<>();

    /** A message from node {@code from} (null if it left), sent to {@code sentTo} when to more than this node. */
    record Arrival(UUID from, List<UUID> sentTo) {
    }

    private final Router router;
    private final ClusterCounters counters;
    private final Gate gate;
    /** Takes the move barrier's markers found in the ring buffer ({@link MoveBarrier}). */
    private final Consumer<byte[]> markers;
    private final LogThrottle unreadableLog = LogThrottle.perMinute();
    private final LogThrottle lostLog = LogThrottle.perMinute();
    /** The number of the last QoS 0 message from each node; read and written on the topic's one event thread. */
    private final Map<UUID, long[]> lastSequence = new ConcurrentHashMap<>();
    /** Told of each message routed, for the sending node's window; null for a dead node's inbox read here. */
    private final ForwardingProgress receipts;
    /** The key a test holds this inbox back with ({@link HeldEvents#inbox}); null: never held. */
    private Object heldAs;

    /**
     * A dead node's inbox, read by its adopter: the move barrier's markers there are its old node's business, and
     * the dead node's senders are not waiting for its progress reports.
     */
    NodeInbox(Router router, ClusterCounters counters, Gate gate) {
        this(router, counters, gate, marker -> { }, null);
    }

    /** @param receipts told of each message routed (the senders' forwarding windows), or null */
    NodeInbox(Router router, ClusterCounters counters, Gate gate, Consumer<byte[]> markers,
              ForwardingProgress receipts) {
        this.router = router;
        this.counters = counters;
        this.gate = gate;
        this.markers = markers;
        this.receipts = receipts;
    }

    /** Lets tests hold this inbox back ({@link HeldEvents#inbox}). */
    NodeInbox heldAs(Object key) {
        this.heldAs = key;
        return this;
    }

    static String topicName(UUID node) {
        return HazelcastSetup.MAP_PREFIX + "node." + node;
    }

    /** The reliable topic (a ring buffer with backups) for the QoS 1/2 messages other nodes forward here. */
    static String reliableTopicName(UUID node) {
        return HazelcastSetup.INBOX_PREFIX + node;
    }

    /**
     * Destroys the QoS 1/2 ring buffer of a node that left, which no one reads any more (a restarted node has a new
     * id), unless that node is a member again: one cut off by a split brain merges back with its id, and a destroy
     * reaching the merged cluster also ends the node's own reader of the buffer (Hazelcast stops a reliable topic's
     * listener on a destroyed topic without a word), so nothing forwarded to it at QoS 1/2 would be delivered again.
     *
     * @return whether the ring buffer was destroyed
     */
    static boolean destroyIfGone(HazelcastInstance hazelcast, UUID node) {
        if (NodeIds.isMember(hazelcast, node)) {
            LOG.info("cluster: node {} is a member again (merged back after a split brain): its ring buffer is kept",
                    node);
            return false;
        }
        hazelcast.getReliableTopic(reliableTopicName(node)).destroy();
        return true;
    }

    /**
     * QoS 0 messages arrive from each node numbered 1, 2, 3... in order: a gap is messages lost on the way (the
     * sending or this node's Hazelcast event queue overflowed because this node could not keep up).
     */
    private void countGaps(Member from, long sequence) {
        long[] last = lastSequence.computeIfAbsent(NodeIds.of(from), id -> new long[1]);
        long lost = sequence - last[0] - 1;
        if (sequence > last[0]) {
            last[0] = sequence;
        }
        if (lost > 0) {
            counters.messagesLost.add(lost);
            String node = NodeIds.of(from).toString();
            if (lostLog.admit(node)) {
                LOG.warn("cluster: {} QoS 0 message(s) from node {} were lost on the way here (Hazelcast's event "
                        + "queue overflowed: this node could not keep up with what it was sent){}", lost, node,
                        lostLog.suppressedNote());
            }
        }
    }

    /**
     * This inbox as the listener of the reliable topic: it reads on from where it was, and counts overruns.
     *
     * @param progress told of each message routed (the position a survivor replays from), or null
     * @param from     the first position to read, -1 for the messages arriving from now on
     * @param ended    told of the last position read when Hazelcast ends the reader (its ring buffer destroyed, the
     *                 node shutting down)
     */
    ReliableMessageListener<byte[]> reliable(InboxProgress progress, long from, LongConsumer ended) {
        return new Reliable(progress, from, ended);
    }

    @Override
    public void onMessage(Message<byte[]> message) {
        route(message, false);
    }

    /** @param reliable from the ring buffer: its numbers are those of the QoS 1/2 path, whose losses it counts */
    private void route(Message<byte[]> message, boolean reliable) {
        if (heldAs != null) {
            HeldEvents.apply(heldAs, () -> routeNow(message, reliable));
        } else {
            routeNow(message, reliable);
        }
    }

    private void routeNow(Message<byte[]> message, boolean reliable) {
        if (MoveBarrier.isMarker(message.getMessageObject())) {
            markers.accept(message.getMessageObject());
            return;
        }
        Envelope envelope;
        try {
            envelope = Envelope.read(message.getMessageObject());
        } catch (StoreCorruptException e) {
            counters.messagesUnreadable.increment();
            String from = String.valueOf(message.getPublishingMember());
            if (unreadableLog.admit(from)) {
                LOG.warn("cluster: dropped a message from node {} that cannot be read: {}{}", from, e.getMessage(),
                        unreadableLog.suppressedNote());
            }
            return;
        }
        if (envelope.isSwitchedMark()) {
            gate.switched(envelope.origin().node());
            return;
        }
        counters.messagesReceived.increment();
        if (!reliable && envelope.sequence() > 0 && message.getPublishingMember() != null) {
            countGaps(message.getPublishingMember(), envelope.sequence());
        }
        List<Envelope.GroupKey> groups = envelope.sharedGroups();
        Member from = message.getPublishingMember();
        ARRIVING.set(new Arrival(from == null ? null : NodeIds.of(from), envelope.sentTo()));
        try {
            router.publishHere(envelope.publication(), new Forwarding() {
                @Override
                public boolean takeSharedHere(Subscription picked) {
                    return !groups.isEmpty()
                            && groups.contains(new Envelope.GroupKey(picked.shareGroup(), picked.topicFilter()));
                }

                @Override
                public boolean takesDelivery(Subscriber target, Publication p, QoS qos, boolean retainFlag,
                                             int[] ids) {
                    return gate.takes(envelope.origin(), target, p, qos, retainFlag, ids);
                }

                @Override
                public Origin origin() {
                    return envelope.origin();
                }
            });
        } finally {
            ARRIVING.remove();
        }
        if (receipts != null) {
            receipts.routed(from, envelope.sequence(), reliable);
        }
    }

    /**
     * Reads the ring buffer from its tail at start, then every message in order. A node so far behind that the ring
     * buffer overwrote messages it had not read (more than its capacity) loses them: counted and logged, and it
     * reads on from the oldest one left, rather than Hazelcast stopping the listener. Hazelcast retries the reads
     * itself when the buffer's partition moves to another member (its owner died).
     */
    private final class Reliable implements ReliableMessageListener<byte[]> {
        private final InboxProgress progress;
        /** Hazelcast stores a message's sequence just before handing the message over. */
        private long lastSequence = -1;

        private final long from;
        private final LongConsumer ended;

        Reliable(InboxProgress progress, long from, LongConsumer ended) {
            this.progress = progress;
            this.from = from;
            this.ended = ended;
        }

        @Override
        public void onMessage(Message<byte[]> message) {
            if (progress == null) {
                route(message, true);
            } else {
                progress.routing(lastSequence);
                route(message, true);
                progress.routed(lastSequence);
            }
            gate.read(lastSequence);
        }

        @Override
        public long retrieveInitialSequence() {
            return from;
        }

        @Override
        public void storeSequence(long sequence) {
            long lost = lastSequence < 0 ? 0 : sequence - lastSequence - 1;
            lastSequence = sequence;
            if (lost > 0) {
                counters.messagesOverrun.add(lost);
                if (lostLog.admit("ring buffer")) {
                    LOG.warn("cluster: {} QoS 1/2 message(s) forwarded here were overwritten in this node's ring "
                            + "buffer before it read them (it fell more than {} messages behind): lost{}", lost,
                            HazelcastSetup.INBOX_CAPACITY, lostLog.suppressedNote());
                }
            }
        }

        @Override
        public boolean isLossTolerant() {
            return true;
        }

        @Override
        public boolean isTerminal(Throwable failure) {
            LOG.warn("cluster: a forwarded message could not be routed here: {}", failure.toString());
            return false;
        }

        @Override
        public void onCancel() {
            ended.accept(lastSequence);
        }
    }
}
