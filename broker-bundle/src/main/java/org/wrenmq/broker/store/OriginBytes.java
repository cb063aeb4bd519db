package org.wrenmq.broker.store;

import java.nio.ByteBuffer;
import java.util.UUID;
import org.wrenmq.broker.message.Origin;

/**
 * A message's identity ({@link Origin}) in bytes, where it may be missing: a byte 0 for none, or a byte 1, the node
 * (16 bytes) and the number (8). The one way every byte format of the cluster (a session moving, a message passed on
 * during a move, a split hand-over) writes and reads it, so the formats cannot drift apart.
 */
public final class OriginBytes {
    /** An identity without the marker byte: node and number. */
    public static final int BYTES = 16 + Long.BYTES;

    private OriginBytes() {
    }

    /** How many bytes {@link #put} writes for {@code origin}. */
    public static int size(Origin origin) {
        return 1 + (origin == null ? 0 : BYTES);
    }

    public static ByteBuffer put(ByteBuffer out, Origin origin) {
        out.put((byte) (origin == null ? 0 : 1));
        return origin == null ? out : putPresent(out, origin);
    }

    /** @throws java.nio.BufferUnderflowException for bytes cut short */
    public static Origin get(ByteBuffer in) {
        return in.get() == 0 ? null : getPresent(in);
    }

    /** The identity alone ({@link #BYTES}), where a format knows it is there. */
    public static ByteBuffer putPresent(ByteBuffer out, Origin origin) {
        return out.putLong(origin.node().getMostSignificantBits()).putLong(origin.node().getLeastSignificantBits())
                .putLong(origin.seq());
    }

    public static Origin getPresent(ByteBuffer in) {
        return new Origin(new UUID(in.getLong(), in.getLong()), in.getLong());
    }
}
