package org.wrenmq.broker.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * A session's messages on their way to the mirror, with a stand-in for the cluster whose writes the test completes
 * by hand: what queues while a write is under way goes in the next one, so a publisher's window costs a few map
 * writes rather than one each.
 */
@DisplayName("a session's mirror writes")
class SessionWritesTests {
    private record Write(long firstSeq, MessageBatch batch, CompletableFuture<Void> done) {
        List<Long> seqs() {
            return batch.messages().stream().map(MessageBatch.Message::seq).toList();
        }
    }

    private final List<Write> writes = new ArrayList<>();
    private final SessionWrites session = new SessionWrites((firstSeq, batch) -> {
        Write w = new Write(firstSeq, batch, new CompletableFuture<>());
        writes.add(w);
        return w.done();
    });

    private static MessageBatch.Message message(long seq) {
        return new MessageBatch.Message(seq, -1, new byte[] {(byte) seq});
    }

    @Test
    @DisplayName("write what queued meanwhile in one batch, and hold each message only once its own batch is written")
    void batchesWhatQueuesWhileAWriteIsUnderWay() {
        CompletableFuture<Void> first = session.add(message(1));
        List<CompletableFuture<Void>> queued = new ArrayList<>();
        for (long seq = 2; seq <= 20; seq++) {
            queued.add(session.add(message(seq)));
        }
        assertThat(writes).hasSize(1);
        assertThat(writes.get(0).seqs()).containsExactly(1L);

        writes.get(0).done().complete(null);
        assertThat(first).isCompleted();
        assertThat(queued).noneMatch(CompletableFuture::isDone);
        assertThat(writes).hasSize(2);
        assertThat(writes.get(1).firstSeq()).isEqualTo(2);
        assertThat(writes.get(1).seqs()).hasSize(19).startsWith(2L).endsWith(20L);

        writes.get(1).done().complete(null);
        assertThat(queued).allMatch(f -> f.isDone() && !f.isCompletedExceptionally());
        assertThat(writes).hasSize(2);
        assertThat(session.idle()).isFalse(); // it still knows where the written messages are
    }

    @Test
    @DisplayName("remove a message from its batch, and the batch's entry with the last of them")
    void removalsFindTheirBatch() {
        session.add(message(1));
        session.add(message(2));
        session.add(message(3));
        writes.get(0).done().complete(null);
        writes.get(1).done().complete(null);

        assertThat(session.remove(1)).isEqualTo(new SessionWrites.Removal.Entry(1));
        assertThat(session.remove(3)).isEqualTo(new SessionWrites.Removal.FromBatch(2));
        assertThat(session.remove(2)).isEqualTo(new SessionWrites.Removal.Entry(2));
        assertThat(session.idle()).isTrue();
    }

    @Test
    @DisplayName("fail the messages of a write the cluster refused, and go on with the next")
    void aFailedWriteFailsItsMessagesOnly() {
        CompletableFuture<Void> first = session.add(message(1));
        CompletableFuture<Void> second = session.add(message(2));
        writes.get(0).done().completeExceptionally(new IllegalStateException("no member"));

        assertThat(first).isCompletedExceptionally();
        assertThat(second).isNotDone();
        writes.get(1).done().complete(null);
        assertThat(second).isCompleted();
        // a message that was never written has no batch: its removal is of its own entry, which does not exist
        assertThat(session.remove(1)).isEqualTo(new SessionWrites.Removal.Entry(1));
    }

    @Test
    @DisplayName("carry at most MAX_BATCH messages in one write")
    void batchesAreBounded() {
        session.add(message(0));
        for (long seq = 1; seq <= SessionWrites.MAX_BATCH + 5; seq++) {
            session.add(message(seq));
        }
        writes.get(0).done().complete(null);
        assertThat(writes.get(1).seqs()).hasSize(SessionWrites.MAX_BATCH);
        writes.get(1).done().complete(null);
        assertThat(writes.get(2).seqs()).containsExactly(1001L, 1002L, 1003L, 1004L, 1005L);
    }
}
