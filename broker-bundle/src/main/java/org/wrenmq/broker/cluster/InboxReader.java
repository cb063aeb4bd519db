package org.wrenmq.broker.cluster;

import com.hazelcast.core.HazelcastInstance;
import com.hazelcast.ringbuffer.Ringbuffer;
import com.hazelcast.topic.ReliableMessageListener;
import java.util.UUID;
import java.util.concurrent.Executor;
import java.util.function.LongConsumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * This node's reader of its own QoS 1/2 ring buffer ({@link NodeInbox#reliableTopicName}). Another node destroys that
 * ring buffer when it takes this node for gone (a split brain); should the destroy reach this node, the network having
 * healed meanwhile ({@link NodeInbox#destroyIfGone} checks first, but the merge may come between), Hazelcast ends the
 * reader without a word and nothing forwarded here at QoS 1/2 would be delivered again. So when the reader ends while
 * the node runs, it starts again (counter {@code cluster.inbox.reader_restarts}, logged): on a new ring buffer (its
 * last message is older than the last one read) from its first message, what the old one held unread being lost with
 * it; on the same one (the reader ended for another reason) after the last message read.
 *
 * <p>The reader's own end is the signal, not Hazelcast's "object destroyed" event: that event reaches a node once per
 * path the destroy takes (the destroy operation and the event packet), and the second one may come after the new
 * reader started, which would start it twice.
 */
final class InboxReader {
    private static final Logger LOG = LoggerFactory.getLogger(InboxReader.class);

    private final HazelcastInstance hazelcast;
    private final String topicName;
    private final String ringName;
    private final Reader reader;
    private final Executor writer;
    private final ClusterCounters counters;

    InboxReader(HazelcastInstance hazelcast, UUID self, Reader reader, Executor writer, ClusterCounters counters) {
        this.hazelcast = hazelcast;
        this.topicName = NodeInbox.reliableTopicName(self);
        this.ringName = HazelcastSetup.RELIABLE_TOPIC_RING_BUFFER + topicName;
        this.reader = reader;
        this.writer = writer;
        this.counters = counters;
    }

    /** Makes the reader of the ring buffer. */
    @FunctionalInterface
    interface Reader {
        /**
         * @param from  the first position to read, -1 for the messages arriving from now on
         * @param ended told of the last position read when Hazelcast ends the reader
         */
        ReliableMessageListener<byte[]> from(long from, LongConsumer ended);
    }

    void start() {
        read(-1);
    }

    private void read(long from) {
        hazelcast.<byte[]>getReliableTopic(topicName)
                .addMessageListener(reader.from(from, lastRead -> writer.execute(() -> again(lastRead))));
    }

    /** On the cluster writer thread; a node shutting down stops its writer first, so nothing starts again then. */
    private void again(long lastRead) {
        if (!hazelcast.getLifecycleService().isRunning()) {
            return;
        }
        counters.inboxReaderRestarts.increment();
        Ringbuffer<Object> ring = hazelcast.getRingbuffer(ringName);
        if (ring.tailSequence() < lastRead) {
            LOG.warn("cluster: this node's QoS 1/2 ring buffer was destroyed by another node (taken for gone in a "
                    + "split brain): reading the new one from its start; messages left unread in the old one are lost");
            read(ring.headSequence());
        } else {
            LOG.warn("cluster: the reader of this node's QoS 1/2 ring buffer ended: reading on after message {}",
                    lastRead);
            read(lastRead + 1);
        }
    }
}
