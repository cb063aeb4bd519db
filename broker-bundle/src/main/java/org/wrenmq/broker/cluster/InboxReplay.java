package org.wrenmq.broker.cluster;

import com.hazelcast.core.HazelcastInstance;
import com.hazelcast.ringbuffer.Ringbuffer;
import com.hazelcast.topic.ITopic;
import com.hazelcast.topic.Message;
import com.hazelcast.topic.ReliableMessageListener;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.wrenmq.broker.store.StoreCorruptException;

/**
 * Reads a dead node's QoS 1/2 ring buffer after the position it had mirrored through ({@link InboxProgress}): the
 * messages acknowledged to their publishers that the node may not have queued in the cluster's mirror before it
 * died. Hazelcast reads the buffer's backup when its owner was the dead node.
 */
final class InboxReplay {
    private static final Logger LOG = LoggerFactory.getLogger(InboxReplay.class);
    /** How long the replay may take before the adoption goes on without the rest. */
    private static final long READ_TIMEOUT_SECONDS = 30;

    /** A message in the dead node's ring buffer, at {@code ringSeq}. */
    record Forwarded(long ringSeq, Envelope envelope) {
    }

    /** The messages read, and the position after the last one (where a reader following the buffer starts). */
    record Tail(List<Forwarded> messages, long next) {
    }

    private InboxReplay() {
    }

    static Tail after(HazelcastInstance hazelcast, UUID node, long position, ClusterCounters counters) {
        String topicName = NodeInbox.reliableTopicName(node);
        Ringbuffer<Object> ring = hazelcast.getRingbuffer(HazelcastSetup.RELIABLE_TOPIC_RING_BUFFER + topicName);
        long tail = ring.tailSequence();
        long from = Math.max(position + 1, ring.headSequence());
        List<Forwarded> read = Collections.synchronizedList(new ArrayList<>());
        if (tail < from) {
            return new Tail(List.of(), from);
        }
        CompletableFuture<Void> done = new CompletableFuture<>();
        ITopic<byte[]> topic = hazelcast.getReliableTopic(topicName);
        UUID listener = topic.addMessageListener(new ReliableMessageListener<byte[]>() {
            private long seq;

            @Override
            public long retrieveInitialSequence() {
                return from;
            }

            @Override
            public void storeSequence(long sequence) {
                seq = sequence;
            }

            @Override
            public void onMessage(Message<byte[]> message) {
                if (seq <= tail && !MoveBarrier.isMarker(message.getMessageObject())) {
                    try {
                        Envelope envelope = Envelope.read(message.getMessageObject());
                        if (!envelope.isSwitchedMark()) {
                            read.add(new Forwarded(seq, envelope));
                        }
                    } catch (StoreCorruptException e) {
                        counters.messagesUnreadable.increment();
                        LOG.warn("cluster: a message in the ring buffer of node {} cannot be read: {}", node,
                                e.getMessage());
                    }
                }
                if (seq >= tail) {
                    done.complete(null);
                }
            }

            @Override
            public boolean isLossTolerant() {
                return true;
            }

            @Override
            public boolean isTerminal(Throwable failure) {
                done.completeExceptionally(failure);
                return true;
            }
        });
        try {
            done.get(READ_TIMEOUT_SECONDS, TimeUnit.SECONDS);
        } catch (Exception e) {
            LOG.error("cluster: the ring buffer of node {} that left could not be read to its end ({} of {} "
                    + "messages after position {}): {}", node, read.size(), tail - from + 1, position, e.toString());
        } finally {
            topic.removeMessageListener(listener);
        }
        synchronized (read) {
            return new Tail(List.copyOf(read), tail + 1);
        }
    }
}
