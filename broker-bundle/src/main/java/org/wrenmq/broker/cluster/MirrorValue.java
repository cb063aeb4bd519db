package org.wrenmq.broker.cluster;

import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.List;
import org.wrenmq.broker.message.Origin;
import org.wrenmq.broker.store.OriginBytes;
import org.wrenmq.broker.store.SessionBytes;
import org.wrenmq.broker.store.StoreCorruptException;
import org.wrenmq.broker.store.StoredSession;

/**
 * The value of one message entry in the {@link SessionMirror}: where the node's ring buffer had the message, the
 * message's identity, and the message (or nothing: a tombstone, the client finished it).
 * <ul>
 *   <li>Format 2 (nodes of the previous version): the ring buffer position (8 bytes, -1 when not from the ring
 *   buffer), then the message as {@link SessionBytes}; a tombstone is the position alone.</li>
 *   <li>Format 3: a version byte 3, the position, the identity ({@link Origin}: node 16 bytes, number 8), then the
 *   message; a tombstone ends after the identity. Written when the identity is known, else format 2.</li>
 * </ul>
 * A format 2 value starts with a position of at least -1, whose first byte is 0x00 or 0xFF: the first byte tells
 * the formats apart. Nodes of the previous version cannot read format 3.
 *
 * @param ringSeq the ring buffer position, -1 when the message did not come through it
 * @param origin  the message's identity, null in format 2
 * @param bytes   the whole value
 * @param offset  where the message starts in {@code bytes} ({@code bytes.length} in a tombstone)
 */
record MirrorValue(long ringSeq, Origin origin, byte[] bytes, int offset) {
    private static final int FORMAT_3 = 3;
    private static final int FORMAT_3_PREFIX = 1 + Long.BYTES + OriginBytes.BYTES;

    static byte[] of(long ringSeq, Origin origin, byte[] message) {
        return prefix(ringSeq, origin, message.length).put(message).array();
    }

    static byte[] tombstone(long ringSeq, Origin origin) {
        return prefix(ringSeq, origin, 0).array();
    }

    /** Whether {@code value} is a tombstone (in either format). */
    static boolean isTombstone(byte[] value) {
        return read(value).isTombstone();
    }

    private static ByteBuffer prefix(long ringSeq, Origin origin, int messageLength) {
        if (origin == null) {
            return ByteBuffer.allocate(Long.BYTES + messageLength).putLong(ringSeq);
        }
        return OriginBytes.putPresent(ByteBuffer.allocate(FORMAT_3_PREFIX + messageLength).put((byte) FORMAT_3)
                .putLong(ringSeq), origin);
    }

    /** @throws StoreCorruptException for a value of neither format */
    static MirrorValue read(byte[] value) {
        if (value.length < Long.BYTES) {
            throw new StoreCorruptException("mirror entry of " + value.length + " bytes");
        }
        ByteBuffer b = ByteBuffer.wrap(value);
        if (value[0] != FORMAT_3) {
            return new MirrorValue(b.getLong(), null, value, Long.BYTES);
        }
        if (value.length < FORMAT_3_PREFIX) {
            throw new StoreCorruptException("mirror entry of format 3 cut short: " + value.length + " bytes");
        }
        b.get();
        long ringSeq = b.getLong();
        Origin origin = OriginBytes.getPresent(b);
        return new MirrorValue(ringSeq, origin, value, FORMAT_3_PREFIX);
    }

    boolean isTombstone() {
        return offset == bytes.length;
    }

    /** The message, its entry carrying the identity. */
    StoredSession message() {
        StoredSession one = SessionBytes.decode(Arrays.copyOfRange(bytes, offset, bytes.length));
        if (origin == null || one.entries().isEmpty()) {
            return one;
        }
        return new StoredSession(one.clientId(), one.expiryIntervalSeconds(), one.disconnectedAtMillis(),
                one.subscriptions(), one.will(), one.willDelaySeconds(),
                List.of(one.entries().get(0).withOrigin(origin)), one.incomingQos2(), one.messages());
    }

    /** This value with another message (in the same format, with the same position and identity). */
    byte[] withMessage(byte[] message) {
        return ByteBuffer.allocate(offset + message.length).put(bytes, 0, offset).put(message).array();
    }
}
