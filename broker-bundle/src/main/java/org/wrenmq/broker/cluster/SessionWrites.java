package org.wrenmq.broker.cluster;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/**
 * One session's messages on their way to the mirror: one map write at a time, each a {@link MessageBatch} of what
 * was queued meanwhile. A map write with its backups costs about as much for one message as for many (see
 * docs/cluster.md), so a publisher keeping 20 messages in flight costs a few writes per window instead of 20, and
 * its acknowledgements wait for fewer, shorter writes. Also remembers which entry holds each written message, to
 * remove it from there.
 */
final class SessionWrites {
    /** The most messages one write carries; more wait for the next one. */
    static final int MAX_BATCH = 1_000;
    /** The most bytes one write carries (but at least one message). */
    static final int MAX_BATCH_BYTES = 1 << 20;

    /** Writes one batch under the key of its first message; completes once the cluster holds it with its backups. */
    interface Writer {
        CompletionStage<Void> write(long firstSeq, MessageBatch batch);
    }

    /** Where the cluster holds a message: the key (first entry number) of its batch and how many are left there. */
    static final class Held {
        final long firstSeq;
        int left;

        Held(long firstSeq, int left) {
            this.firstSeq = firstSeq;
            this.left = left;
        }
    }

    /** What a removal does in the cluster. */
    sealed interface Removal {
        /** The message's batch holds others still: remove it from there. */
        record FromBatch(long firstSeq) implements Removal { }
        /** The message was the last of its batch (or written by the previous version): remove the entry. */
        record Entry(long firstSeq) implements Removal { }
    }

    private record Waiting(MessageBatch.Message message, CompletableFuture<Void> held) {
    }

    private final Writer writer;
    /** Guarded by this. */
    private final ArrayDeque<Waiting> waiting = new ArrayDeque<>();
    /** Guarded by this. */
    private boolean writing;
    /** The messages written, by entry number; guarded by this. */
    private final Map<Long, Held> written = new HashMap<>();

    SessionWrites(Writer writer) {
        this.writer = writer;
    }

    /** @return completes once the message is in the cluster with its backups; fails when it could not be written */
    CompletableFuture<Void> add(MessageBatch.Message message) {
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

    /**
     * Forgets a written message (call once its write completed): what to remove in the cluster.
     */
    synchronized Removal remove(long seq) {
        Held h = written.remove(seq);
        if (h == null) {
            return new Removal.Entry(seq);
        }
        return --h.left == 0 ? new Removal.Entry(h.firstSeq) : new Removal.FromBatch(h.firstSeq);
    }

    /** Nothing written left nor under way: the session's writes can be forgotten. */
    synchronized boolean idle() {
        return !writing && waiting.isEmpty() && written.isEmpty();
    }

    /** The session's entries were all removed from the cluster. */
    synchronized void forgetWritten() {
        written.clear();
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
                    && (batch.isEmpty() || bytes + waiting.peek().message().size() <= MAX_BATCH_BYTES)) {
                Waiting next = waiting.poll();
                bytes += next.message().size();
                batch.add(next);
            }
        }
        List<MessageBatch.Message> messages = new ArrayList<>(batch.size());
        batch.forEach(w -> messages.add(w.message()));
        long firstSeq = messages.get(0).seq();
        CompletionStage<Void> write;
        try {
            write = writer.write(firstSeq, new MessageBatch(messages));
        } catch (RuntimeException notStarted) { // the member is shutting down
            write = CompletableFuture.failedFuture(notStarted);
        }
        write.whenComplete((ok, failure) -> written(firstSeq, batch, failure));
    }

    private void written(long firstSeq, List<Waiting> batch, Throwable failure) {
        if (failure == null) {
            Held h = new Held(firstSeq, batch.size());
            synchronized (this) {
                batch.forEach(w -> written.put(w.message().seq(), h));
            }
        }
        for (Waiting w : batch) {
            if (failure == null) {
                w.held().complete(null);
            } else {
                w.held().completeExceptionally(failure);
            }
        }
        writeNext();
    }
}
