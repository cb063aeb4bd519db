package org.wrenmq.broker.cluster;

import com.hazelcast.core.DistributedObjectEvent;
import com.hazelcast.core.DistributedObjectListener;
import com.hazelcast.core.HazelcastInstance;
import com.hazelcast.topic.ITopic;
import com.hazelcast.topic.ReliableMessageListener;
import java.util.UUID;
import java.util.concurrent.Executor;
import java.util.function.LongFunction;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * This node's reader of its own QoS 1/2 ring buffer ({@link NodeInbox#reliableTopicName}). Another node destroys that
 * ring buffer when it takes this node for gone (a split brain); should the destroy reach this node, the network having
 * healed meanwhile ({@link NodeInbox#destroyIfGone} checks first, but the merge may come between), Hazelcast ends the
 * reader without a word and nothing forwarded here at QoS 1/2 would be delivered again. So on that destroy the reader
 * starts again on the new ring buffer, from its first message (counter {@code cluster.inbox.reader_restarts}, logged);
 * what the old one held unread is lost with it.
 */
final class InboxReader implements DistributedObjectListener {
    private static final Logger LOG = LoggerFactory.getLogger(InboxReader.class);

    private final HazelcastInstance hazelcast;
    private final String topicName;
    private final String ringName;
    /** The reader from a position (-1: the messages arriving from now on). */
    private final LongFunction<ReliableMessageListener<byte[]>> reader;
    private final Executor writer;
    private final ClusterCounters counters;
    // guarded by this
    private ITopic<byte[]> topic;
    private UUID registration;

    InboxReader(HazelcastInstance hazelcast, UUID self, LongFunction<ReliableMessageListener<byte[]>> reader,
                Executor writer, ClusterCounters counters) {
        this.hazelcast = hazelcast;
        this.topicName = NodeInbox.reliableTopicName(self);
        this.ringName = HazelcastSetup.RELIABLE_TOPIC_RING_BUFFER + topicName;
        this.reader = reader;
        this.writer = writer;
        this.counters = counters;
    }

    void start() {
        hazelcast.addDistributedObjectListener(this);
        read(-1);
    }

    private synchronized void read(long from) {
        topic = hazelcast.getReliableTopic(topicName);
        registration = topic.addMessageListener(reader.apply(from));
    }

    @Override
    public void distributedObjectCreated(DistributedObjectEvent event) {
    }

    @Override
    public void distributedObjectDestroyed(DistributedObjectEvent event) {
        if (ringName.equals(event.getObjectName())) {
            writer.execute(this::again);
        }
    }

    private synchronized void again() {
        if (!hazelcast.getLifecycleService().isRunning()) {
            return;
        }
        topic.removeMessageListener(registration); // should the old reader still run
        counters.inboxReaderRestarts.increment();
        LOG.warn("cluster: this node's QoS 1/2 ring buffer was destroyed by another node (taken for gone in a split "
                + "brain): reading the new one from its start; messages left unread in the old one are lost");
        read(hazelcast.getRingbuffer(ringName).headSequence());
    }
}
