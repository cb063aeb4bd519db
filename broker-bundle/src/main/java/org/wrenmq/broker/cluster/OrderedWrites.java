package org.wrenmq.broker.cluster;

import com.hazelcast.topic.ITopic;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * The QoS 1/2 messages for one other node, written to its ring buffer (reliable topic) in the order they were sent:
 * one write at a time, each a batch of what waited meanwhile. Separate asynchronous writes could land out of
 * order: when the ring buffer's owner dies with writes on their way, Hazelcast retries them on the promoted backup
 * while later writes may already be there (seen as a publisher's messages arriving out of order after a node was
 * killed). A batch is one ring buffer operation, retried whole, and the next starts only once it completed.
 */
final class OrderedWrites {
    /** The most messages one write carries; more wait for the next one. */
    static final int MAX_BATCH = 1_000;
    /** The most bytes one write carries (but at least one message): big messages are not gathered into one. */
    static final int MAX_BATCH_BYTES = 1 << 20;

    private final ITopic<byte[]> topic;
    /** Messages not written yet, in the order sent; guarded by this. */
    private final ArrayDeque<Waiting> waiting = new ArrayDeque<>();
    /** Whether a write is on its way; guarded by this. */
    private boolean writing;

    OrderedWrites(ITopic<byte[]> topic) {
        this.topic = topic;
    }

    /** @return completes once the message is in the ring buffer with its backups; fails when it could not be */
    CompletableFuture<Void> send(byte[] message) {
        CompletableFuture<Void> held = new CompletableFuture<>();
        synchronized (this) {
            waiting.add(new Waiting(message, held));
            if (writing) {
                return held;
            }
            writing = true;
        }
        writeNext();
        return held;
    }

    private void writeNext() {
        List<Waiting> batch;
        synchronized (this) {
            if (waiting.isEmpty()) {
                writing = false;
                return;
            }
            batch = new ArrayList<>(Math.min(waiting.size(), MAX_BATCH));
            long bytes = 0;
            while (!waiting.isEmpty() && batch.size() < MAX_BATCH
                    && (batch.isEmpty() || bytes + waiting.peek().message().length <= MAX_BATCH_BYTES)) {
                Waiting next = waiting.poll();
                bytes += next.message().length;
                batch.add(next);
            }
        }
        List<byte[]> messages = new ArrayList<>(batch.size());
        batch.forEach(w -> messages.add(w.message()));
        try {
            topic.publishAllAsync(messages).whenComplete((ok, failure) -> written(batch, failure));
        } catch (RuntimeException notStarted) { // the member is shutting down
            written(batch, notStarted);
        }
    }

    private void written(List<Waiting> batch, Throwable failure) {
        for (Waiting w : batch) {
            if (failure == null) {
                w.held().complete(null);
            } else {
                w.held().completeExceptionally(failure);
            }
        }
        writeNext();
    }

    private record Waiting(byte[] message, CompletableFuture<Void> held) {
    }
}
