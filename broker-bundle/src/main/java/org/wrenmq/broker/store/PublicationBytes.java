package org.wrenmq.broker.store;

import org.wrenmq.broker.message.Publication;

/**
 * A message as bytes, in the store's format (versioned, checked on reading): what a cluster node sends another.
 */
public final class PublicationBytes {

    private PublicationBytes() {
    }

    public static byte[] encode(Publication p) {
        return StoreCodec.message(p);
    }

    /** @throws StoreCorruptException for bytes that are not a message */
    public static Publication decode(byte[] bytes) {
        return StoreCodec.message(bytes);
    }
}
