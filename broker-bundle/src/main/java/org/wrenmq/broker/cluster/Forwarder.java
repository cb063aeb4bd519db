package org.wrenmq.broker.cluster;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.wrenmq.api.QoS;
import org.wrenmq.broker.logging.LogThrottle;
import org.wrenmq.broker.message.Origin;
import org.wrenmq.broker.message.Publication;
import org.wrenmq.broker.metrics.SysTopics;
import org.wrenmq.broker.routing.RemoteNodes;
import org.wrenmq.broker.routing.SharedGroup;
import org.wrenmq.broker.routing.Subscriber;
import org.wrenmq.broker.routing.Subscription;
import org.wrenmq.broker.routing.SubscriptionTree;
import org.wrenmq.broker.store.PublicationBytes;

/**
 * Sends a message published on this node to the other nodes that have a matching subscriber: it matches the
 * topic against the other nodes' filters ({@link SubscriptionDirectory}) and publishes the message, encoded
 * once, to each such node's topic, once per node whatever the number of its matching filters and clients.
 *
 * <p>Shared subscriptions: for each matching group the publishing node picks one node, round robin over the
 * nodes that have members (this one included), and only that node's member gets the message; the envelope tells
 * the receiving node which of its groups take it.
 *
 * <p>Each node has two topics. QoS 0 messages go to a plain Hazelcast topic: fire and forget from the publisher's
 * event loop. QoS 1/2 messages go to a reliable topic, a ring buffer with {@code cluster_backup_count}
 * synchronous backups: {@link #send} returns the write's completion, and the publisher's PUBACK/PUBREC waits for
 * it, so a message acknowledged here survives this node's death on its way to the other node. Both keep the
 * messages one member publishes in that order (the ring buffer's writes one after the other, {@link OrderedWrites}),
 * so messages from one publisher reach the other node in publish order, per QoS [MQTT-4.6.0-5]. Each node's
 * {@code $SYS} topics are its own and never forwarded. A node too far behind with what it was sent
 * ({@link ForwardingWindow}) makes {@link Forwarding#whenNodesHaveRoom} wait: the publisher is paused.
 */
final class Forwarder implements RemoteNodes {
    private static final Logger LOG = LoggerFactory.getLogger(Forwarder.class);
    private final SubscriptionTree remoteTree;
    private final ClusterCounters counters;
    private final RetainedSync retained;
    private final boolean retainAvailable;
    /** Spreads shared groups with members here and elsewhere over the nodes. */
    private final AtomicLong sharedTurn = new AtomicLong();
    private final LogThrottle failureLog = LogThrottle.perMinute();
    private final UUID self;
    /** The QoS 1/2 messages routed here so far: each copy carries its number ({@link Origin}). */
    private final AtomicLong routedReliably = new AtomicLong();
    /** Decides the deliveries to sessions moving or adopted ({@link MovingSessions}, {@link Takeovers}). */
    private final NodeInbox.Gate deliveries;
    /** Held while a QoS 1/2 message is written to several nodes ({@link MoveBarrier#sendOrder}). */
    private final Object sendOrder;

    Forwarder(SubscriptionTree remoteTree, ClusterCounters counters, RetainedSync retained, boolean retainAvailable,
              UUID self, NodeInbox.Gate deliveries, Object sendOrder) {
        this.self = self;
        this.deliveries = deliveries;
        this.sendOrder = sendOrder;
        this.remoteTree = remoteTree;
        this.counters = counters;
        this.retained = retained;
        this.retainAvailable = retainAvailable;
    }

    @Override
    public Forwarding begin(Publication p) {
        if (p.topic().startsWith(SysTopics.PREFIX)) {
            return Forwarding.HERE_ONLY;
        }
        return new OneMessage(p, p.qos() == QoS.AT_MOST_ONCE ? null
                : new Origin(self, routedReliably.incrementAndGet()));
    }

    /** Counts and logs a QoS 1/2 copy the cluster did not take: its publisher is not acknowledged. */
    private void notHeld(RemoteNode node, Throwable failure) {
        if (failure == null) {
            return;
        }
        counters.messagesNotHeld.increment();
        if (failureLog.admit(node.id().toString())) {
            LOG.warn("cluster: a QoS 1/2 message for node {} could not be written to the cluster ({}); its publisher "
                    + "is disconnected unacknowledged and sends it again{}", node.id(), failure.toString(),
                    failureLog.suppressedNote());
        }
    }

    /** One message: the shared groups decided while routing here, then the copies sent. */
    private final class OneMessage implements Forwarding, SubscriptionTree.Visitor {
        private final Publication p;
        /** The message's identity cluster-wide; null for QoS 0. */
        private final Origin origin;
        /** Shared groups with members here too, and the node picked (null: this one). */
        private Map<Envelope.GroupKey, RemoteNode> picked;
        /** The nodes to send to, each with the shared groups it takes the message for. */
        private final Map<RemoteNode, List<Envelope.GroupKey>> nodes = new HashMap<>(4);

        OneMessage(Publication p, Origin origin) {
            this.p = p;
            this.origin = origin;
        }

        @Override
        public boolean takesDelivery(Subscriber target, Publication p, QoS qos, boolean retainFlag, int[] ids) {
            return deliveries.takes(origin, target, p, qos, retainFlag, ids);
        }

        @Override
        public Origin origin() {
            return origin;
        }

        @Override
        public boolean takeSharedHere(Subscription member) {
            SharedGroup elsewhere = remoteTree.group(member.topicFilter(), member.shareGroup());
            int remoteMembers = elsewhere == null ? 0 : elsewhere.size();
            RemoteNode node = null;
            if (remoteMembers > 0 && sharedTurn.getAndIncrement() % (remoteMembers + 1) != 0) {
                Subscription remote = elsewhere.pick();
                node = remote == null ? null : (RemoteNode) remote.session();
            }
            if (picked == null) {
                picked = new HashMap<>(2);
            }
            picked.put(new Envelope.GroupKey(member.shareGroup(), member.topicFilter()), node);
            return node == null;
        }

        @Override
        public CompletionStage<Void> send() {
            if (p.retain() && retainAvailable) {
                retained.published(p);
            }
            remoteTree.match(p.topic(), this);
            if (nodes.isEmpty()) {
                return NOTHING_TO_WAIT;
            }
            byte[] bytes = PublicationBytes.encode(p);
            if (p.qos() == QoS.AT_MOST_ONCE) {
                List<UUID> sentTo = sentTo();
                nodes.forEach((node, groups) -> {
                    node.sendAtMostOnce(Envelope.write(null, groups, sentTo, bytes));
                    counters.messagesForwarded.increment();
                });
                return NOTHING_TO_WAIT;
            }
            if (nodes.size() == 1) {
                return sendReliably(bytes, List.of())[0].thenApply(ok -> null);
            }
            synchronized (sendOrder) {
                return CompletableFuture.allOf(sendReliably(bytes, sentTo()));
            }
        }

        private CompletableFuture<?>[] sendReliably(byte[] bytes, List<UUID> sentTo) {
            CompletableFuture<?>[] held = new CompletableFuture<?>[nodes.size()];
            int i = 0;
            for (Map.Entry<RemoteNode, List<Envelope.GroupKey>> e : nodes.entrySet()) {
                RemoteNode node = e.getKey();
                held[i++] = node.sendReliably(Envelope.write(origin, e.getValue(), sentTo, bytes))
                        .whenComplete((ok, failure) -> notHeld(node, failure));
                counters.messagesForwarded.increment();
            }
            return held;
        }

        /** The nodes this message goes to, named in each copy when more than one (see {@link MoveStub}). */
        private List<UUID> sentTo() {
            if (nodes.size() < 2) {
                return List.of();
            }
            List<UUID> ids = new ArrayList<>(nodes.size());
            nodes.keySet().forEach(n -> ids.add(n.id()));
            return ids;
        }

        @Override
        public CompletionStage<Void> whenNodesHaveRoom() {
            CompletionStage<Void> room = NOTHING_TO_WAIT;
            for (RemoteNode node : nodes.keySet()) {
                CompletionStage<Void> open = node.whenOpen();
                if (open != NOTHING_TO_WAIT) {
                    room = room == NOTHING_TO_WAIT ? open : room.thenCombine(open, (a, b) -> null);
                }
            }
            return room;
        }

        @Override
        public void subscription(Subscription s) {
            nodes.computeIfAbsent((RemoteNode) s.session(), n -> new ArrayList<>(0));
        }

        @Override
        public void sharedGroup(SharedGroup group) {
            Subscription s = group.pick();
            if (s == null) {
                return;
            }
            Envelope.GroupKey key = new Envelope.GroupKey(s.shareGroup(), s.topicFilter());
            RemoteNode node;
            if (picked != null && picked.containsKey(key)) {
                node = picked.get(key);
                if (node == null) {
                    return; // a member on this node took it
                }
            } else {
                node = (RemoteNode) s.session();
            }
            nodes.computeIfAbsent(node, n -> new ArrayList<>(1)).add(key);
        }
    }
}
