package org.wrenmq.broker.cluster;

import com.hazelcast.map.EntryProcessor;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The value of one {@code wrenmq.session-messages} entry: one or more queued messages of a session, each with its
 * entry number, its position in this node's ring buffer (-1 when published here) and its record (a
 * {@code SessionBytes} session holding that one message). Written as one map write, so that a burst of messages for
 * a session costs a few writes rather than one each; the entry's key is that of its first message.
 *
 * <p>Format: {@link #MARKER}, the number of messages, then per message its number, ring position, record length
 * and record. An entry written by the previous version holds one message: its ring position, then its record (a
 * ring position is never {@link #MARKER}).
 */
record MessageBatch(List<Message> messages) {
    static final long MARKER = Long.MIN_VALUE;

    record Message(long seq, long ringSeq, byte[] record) {
        int size() {
            return 2 * Long.BYTES + Integer.BYTES + record.length;
        }
    }

    byte[] encode() {
        int size = Long.BYTES + Integer.BYTES;
        for (Message m : messages) {
            size += m.size();
        }
        ByteBuffer b = ByteBuffer.allocate(size).putLong(MARKER).putInt(messages.size());
        for (Message m : messages) {
            b.putLong(m.seq()).putLong(m.ringSeq()).putInt(m.record().length).put(m.record());
        }
        return b.array();
    }

    /** @param seqOfOld the entry number of an entry in the previous version's format (it does not hold it) */
    static MessageBatch decode(byte[] value, long seqOfOld) {
        ByteBuffer b = ByteBuffer.wrap(value);
        long first = b.getLong();
        if (first != MARKER) {
            byte[] record = new byte[b.remaining()];
            b.get(record);
            return new MessageBatch(List.of(new Message(seqOfOld, first, record)));
        }
        int count = b.getInt();
        List<Message> messages = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            long seq = b.getLong();
            long ringSeq = b.getLong();
            byte[] record = new byte[b.getInt()];
            b.get(record);
            messages.add(new Message(seq, ringSeq, record));
        }
        return new MessageBatch(messages);
    }

    /**
     * Removes one message from a batch entry (on the entry's owner and its backups), and the entry once it holds
     * none.
     */
    static final class Drop implements EntryProcessor<String, byte[], Void> {
        private static final long serialVersionUID = 1L;
        private final long seq;

        Drop(long seq) {
            this.seq = seq;
        }

        @Override
        public Void process(Map.Entry<String, byte[]> entry) {
            byte[] value = entry.getValue();
            if (value == null) {
                return null;
            }
            List<Message> rest = new ArrayList<>(decode(value, seq).messages());
            if (rest.removeIf(m -> m.seq() == seq)) {
                entry.setValue(rest.isEmpty() ? null : new MessageBatch(rest).encode());
            }
            return null;
        }
    }
}
