package org.wrenmq.broker.cluster;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import org.wrenmq.broker.message.Publication;
import org.wrenmq.broker.metrics.SysTopics;
import org.wrenmq.broker.routing.RemoteNodes;
import org.wrenmq.broker.routing.SharedGroup;
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
 * <p>Why a Hazelcast topic per node: it is fire and forget from the publisher's event loop (no blocking, no
 * reply), and Hazelcast delivers the messages one member publishes to a topic in that order, so messages from
 * one publisher reach the other node in publish order [MQTT-4.6.0-5]. Each node's {@code $SYS} topics are its
 * own and never forwarded.
 */
final class Forwarder implements RemoteNodes {
    private final SubscriptionTree remoteTree;
    private final ClusterCounters counters;
    private final RetainedSync retained;
    private final boolean retainAvailable;
    /** Spreads shared groups with members here and elsewhere over the nodes. */
    private final AtomicLong sharedTurn = new AtomicLong();

    Forwarder(SubscriptionTree remoteTree, ClusterCounters counters, RetainedSync retained, boolean retainAvailable) {
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
        return new OneMessage(p);
    }

    /** One message: the shared groups decided while routing here, then the copies sent. */
    private final class OneMessage implements Forwarding, SubscriptionTree.Visitor {
        private final Publication p;
        /** Shared groups with members here too, and the node picked (null: this one). */
        private Map<Envelope.GroupKey, RemoteNode> picked;
        /** The nodes to send to, each with the shared groups it takes the message for. */
        private final Map<RemoteNode, List<Envelope.GroupKey>> nodes = new HashMap<>(4);

        OneMessage(Publication p) {
            this.p = p;
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
        public void send() {
            if (p.retain() && retainAvailable) {
                retained.published(p);
            }
            remoteTree.match(p.topic(), this);
            if (nodes.isEmpty()) {
                return;
            }
            byte[] bytes = PublicationBytes.encode(p);
            nodes.forEach((node, groups) -> {
                node.inbox().publish(Envelope.write(groups, bytes));
                counters.messagesForwarded.increment();
            });
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
