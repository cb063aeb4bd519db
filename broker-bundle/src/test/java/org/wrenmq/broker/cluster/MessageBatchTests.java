package org.wrenmq.broker.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.ByteBuffer;
import java.util.AbstractMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/** The value of a mirror entry holding some queued messages of one session. */
@DisplayName("a mirror entry's messages")
class MessageBatchTests {
    private static final MessageBatch BATCH = new MessageBatch(List.of(
            new MessageBatch.Message(7, -1, new byte[] {1, 2, 3}),
            new MessageBatch.Message(8, 42, new byte[] {4}),
            new MessageBatch.Message(9, 43, new byte[0])));

    @Test
    @DisplayName("read back with each message's number, ring position and record")
    void roundTrip() {
        MessageBatch read = MessageBatch.decode(BATCH.encode(), -1);
        assertThat(read.messages()).hasSize(3);
        for (int i = 0; i < 3; i++) {
            assertThat(read.messages().get(i).seq()).isEqualTo(BATCH.messages().get(i).seq());
            assertThat(read.messages().get(i).ringSeq()).isEqualTo(BATCH.messages().get(i).ringSeq());
            assertThat(read.messages().get(i).record()).isEqualTo(BATCH.messages().get(i).record());
        }
    }

    @Test
    @DisplayName("read an entry of the previous version (one message: ring position, then record)")
    void readsThePreviousFormat() {
        byte[] old = ByteBuffer.allocate(Long.BYTES + 2).putLong(5).put(new byte[] {9, 9}).array();
        MessageBatch read = MessageBatch.decode(old, 12);
        assertThat(read.messages()).singleElement().satisfies(m -> {
            assertThat(m.seq()).isEqualTo(12);
            assertThat(m.ringSeq()).isEqualTo(5);
            assertThat(m.record()).containsExactly(9, 9);
        });
    }

    @Test
    @DisplayName("lose one message at a time on removal, and the entry with the last one")
    void dropRemovesOneMessageThenTheEntry() {
        Map.Entry<String, byte[]> entry = new AbstractMap.SimpleEntry<>("key", BATCH.encode());
        new MessageBatch.Drop(8).process(entry);
        assertThat(MessageBatch.decode(entry.getValue(), -1).messages()).extracting(MessageBatch.Message::seq)
                .containsExactly(7L, 9L);
        new MessageBatch.Drop(8).process(entry); // removed already: nothing changes
        new MessageBatch.Drop(7).process(entry);
        new MessageBatch.Drop(9).process(entry);
        assertThat(entry.getValue()).isNull();
        new MessageBatch.Drop(9).process(entry); // the entry is gone: nothing to do
        assertThat(entry.getValue()).isNull();
    }
}
