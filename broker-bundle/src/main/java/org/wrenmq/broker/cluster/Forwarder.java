package org.wrenmq.broker.cluster;

import java.util.ArrayList;
import java.util.List;
import org.wrenmq.broker.message.Publication;
import org.wrenmq.broker.metrics.SysTopics;
import org.wrenmq.broker.routing.RemoteNodes;
import org.wrenmq.broker.routing.SharedGroup;
import org.wrenmq.broker.routing.Subscription;
import org.wrenmq.broker.routing.SubscriptionTree;

/**
 * Sends a message published on this node to the other nodes that have a matching subscriber: it matches the
 * topic against the other nodes' filters ({@link SubscriptionDirectory}) and publishes the message, encoded
 * once, to each such node's topic, once per node whatever the number of its matching filters and clients.
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

    Forwarder(SubscriptionTree remoteTree, ClusterCounters counters, RetainedSync retained) {
        this.remoteTree = remoteTree;
        this.counters = counters;
        this.retained = retained;
    }

    @Override
    public void forward(Publication p) {
        if (p.topic().startsWith(SysTopics.PREFIX)) {
            return;
        }
        if (p.retain()) {
            retained.published(p);
        }
        Nodes nodes = new Nodes();
        remoteTree.match(p.topic(), nodes);
        if (nodes.list.isEmpty()) {
            return;
        }
        byte[] bytes = org.wrenmq.broker.store.PublicationBytes.encode(p);
        for (RemoteNode node : nodes.list) {
            node.inbox().publish(bytes);
            counters.messagesForwarded.increment();
        }
    }

    /** The nodes a topic matched, each once (a node has few filters matching one topic: a list is enough). */
    private static final class Nodes implements SubscriptionTree.Visitor {
        final List<RemoteNode> list = new ArrayList<>(2);

        @Override
        public void subscription(Subscription s) {
            add((RemoteNode) s.session());
        }

        @Override
        public void sharedGroup(SharedGroup group) {
            Subscription s = group.pick();
            if (s != null) {
                add((RemoteNode) s.session());
            }
        }

        private void add(RemoteNode node) {
            if (!list.contains(node)) {
                list.add(node);
            }
        }
    }
}
