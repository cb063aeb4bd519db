package org.wrenmq.broker.cluster;

import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.UUID;
import org.wrenmq.broker.message.Origin;
import org.wrenmq.broker.store.SessionBytes;
import org.wrenmq.broker.store.StoreCorruptException;
import org.wrenmq.broker.store.StoredSession;

/**
 * A {@link SplitHandOver} as it travels between nodes: a kind byte, the sending node's id, the sender's number for
 * the hand-over; for messages, then the messages as {@link SessionBytes}, each entry with its identity
 * ({@link Origin}), as a moving session's entries keep theirs. The kind is the format's marker, as a version byte is
 * in {@link Envelope}: {@link #MESSAGES} replaced kind 0 (entry numbers instead of identities) and kind 2 (the
 * identities in a list of their own, before session bytes that kept none), which are not read any more: the nodes of
 * a cluster are upgraded together.
 */
final class SplitHandOverBytes {
    /** Messages, each entry with its identity. */
    static final byte MESSAGES = 3;
    /** The kept node took the hand-over {@link Header#id} in. */
    static final byte CONFIRMED = 1;
    private static final int HEADER = 1 + 16 + Long.BYTES;

    private SplitHandOverBytes() {
    }

    /** What every hand-over and confirmation starts with. */
    record Header(byte kind, UUID from, long id) {
    }

    static byte[] confirmed(UUID from, long id) {
        return header(CONFIRMED, from, id, 0).array();
    }

    /** The messages of {@code s} (its entries, with their identities, and the publications they refer to). */
    static byte[] messages(UUID from, long id, StoredSession s) {
        byte[] session = SessionBytes.encode(s);
        return header(MESSAGES, from, id, session.length).put(session).array();
    }

    /** @throws StoreCorruptException for bytes too short to be a hand-over */
    static Header header(byte[] bytes) {
        if (bytes == null || bytes.length < HEADER) {
            throw new StoreCorruptException("split hand-over of " + (bytes == null ? 0 : bytes.length) + " bytes");
        }
        ByteBuffer in = ByteBuffer.wrap(bytes);
        return new Header(in.get(), new UUID(in.getLong(), in.getLong()), in.getLong());
    }

    /**
     * The messages of a hand-over of kind {@link #MESSAGES}, each entry with its identity.
     *
     * @throws StoreCorruptException for another kind, or bytes that are not such messages
     */
    static StoredSession session(Header h, byte[] bytes) {
        if (h.kind() != MESSAGES) {
            throw new StoreCorruptException("split hand-over of kind " + h.kind() + " (from a node of another "
                    + "version?)");
        }
        return SessionBytes.decode(Arrays.copyOfRange(bytes, HEADER, bytes.length));
    }

    private static ByteBuffer header(byte kind, UUID from, long id, int more) {
        return ByteBuffer.allocate(HEADER + more).put(kind).putLong(from.getMostSignificantBits())
                .putLong(from.getLeastSignificantBits()).putLong(id);
    }
}
