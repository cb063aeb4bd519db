package org.wrenmq.broker.cluster;

import com.hazelcast.topic.Message;
import com.hazelcast.topic.MessageListener;
import java.util.UUID;
import org.wrenmq.broker.logging.LogThrottle;
import java.util.List;
import org.wrenmq.broker.routing.RemoteNodes.Forwarding;
import org.wrenmq.broker.routing.Router;
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

    /** A message forwarded for this node's plain subscriptions: its shared groups were served elsewhere. */
    private static final Forwarding NO_SHARED_GROUPS = new Forwarding() {
        @Override
        public boolean takeSharedHere(Subscription picked) {
            return false;
        }
    };

    private final Router router;
    private final ClusterCounters counters;
    private final LogThrottle unreadableLog = LogThrottle.perMinute();

    NodeInbox(Router router, ClusterCounters counters) {
        this.router = router;
        this.counters = counters;
    }

    static String topicName(UUID node) {
        return HazelcastSetup.MAP_PREFIX + "node." + node;
    }

    @Override
    public void onMessage(Message<byte[]> message) {
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
        counters.messagesReceived.increment();
        List<Envelope.GroupKey> groups = envelope.sharedGroups();
        router.publishHere(envelope.publication(), groups.isEmpty() ? NO_SHARED_GROUPS : new Forwarding() {
            @Override
            public boolean takeSharedHere(Subscription picked) {
                return groups.contains(new Envelope.GroupKey(picked.shareGroup(), picked.topicFilter()));
            }
        });
    }
}
