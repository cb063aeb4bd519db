package org.wrenmq.broker.cluster;

import java.nio.BufferUnderflowException;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.UUID;
import org.wrenmq.broker.message.Origin;
import org.wrenmq.broker.store.SessionBytes;
import org.wrenmq.broker.store.StoreCorruptException;
import org.wrenmq.broker.store.StoredEntry;
import org.wrenmq.broker.store.StoredSession;

/**
 * A {@link SplitHandOver} as it travels between nodes: a kind byte, the sending node's id, the sender's number for
 * the hand-over; for messages, then the number of entries and each one's identity ({@link Origin}: a byte 0 for
 * none, or 1, the node and the number), then the messages as {@link SessionBytes}, which keep no identity (the
 * store keeps none). The kind is the format's marker, as a version byte is in {@link Envelope}: {@link #MESSAGES}
 * replaced kind 0 (the previous version's, with entry numbers instead of identities), which is not read any more:
 * the nodes of a cluster are upgraded together.
 */
final class SplitHandOverBytes {
    /** Messages, each entry with its identity. */
    static final byte MESSAGES = 2;
    /** The kept node took the hand-over {@link Header#id} in. */
    static final byte CONFIRMED = 1;
    private static final int HEADER = 1 + 16 + Long.BYTES;
    private static final int ORIGIN = 16 + Long.BYTES;

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
        int origins = Integer.BYTES;
        for (StoredEntry e : s.entries()) {
            origins += 1 + (e.origin() == null ? 0 : ORIGIN);
        }
        ByteBuffer bytes = header(MESSAGES, from, id, origins + session.length).putInt(s.entries().size());
        for (StoredEntry e : s.entries()) {
            Origin o = e.origin();
            bytes.put((byte) (o == null ? 0 : 1));
            if (o != null) {
                bytes.putLong(o.node().getMostSignificantBits()).putLong(o.node().getLeastSignificantBits())
                        .putLong(o.seq());
            }
        }
        return bytes.put(session).array();
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
        List<Origin> origins = new ArrayList<>();
        ByteBuffer in = ByteBuffer.wrap(bytes).position(HEADER);
        try {
            for (int n = in.getInt(); n > 0; n--) {
                origins.add(in.get() == 0 ? null : new Origin(new UUID(in.getLong(), in.getLong()), in.getLong()));
            }
        } catch (BufferUnderflowException e) {
            throw new StoreCorruptException("split hand-over cut short: " + bytes.length + " bytes");
        }
        StoredSession s = SessionBytes.decode(Arrays.copyOfRange(bytes, in.position(), bytes.length));
        if (s.entries().size() != origins.size()) {
            throw new StoreCorruptException("split hand-over of " + s.entries().size() + " entries with "
                    + origins.size() + " identities");
        }
        List<StoredEntry> entries = new ArrayList<>(origins.size());
        for (int i = 0; i < origins.size(); i++) {
            entries.add(s.entries().get(i).withOrigin(origins.get(i)));
        }
        return new StoredSession(s.clientId(), s.expiryIntervalSeconds(), s.disconnectedAtMillis(), s.subscriptions(),
                s.will(), s.willDelaySeconds(), entries, s.incomingQos2(), s.messages());
    }

    private static ByteBuffer header(byte kind, UUID from, long id, int more) {
        return ByteBuffer.allocate(HEADER + more).put(kind).putLong(from.getMostSignificantBits())
                .putLong(from.getLeastSignificantBits()).putLong(id);
    }
}
