package org.wrenmq.bench.load;

import io.netty.buffer.ByteBuf;

/** Payloads carry their send time (System.nanoTime of this JVM) in the first 8 bytes, the rest is filler. */
final class Payloads {
    static final int TIMESTAMP_BYTES = Long.BYTES;

    private Payloads() {
    }

    static ByteBuf stamped(ClientConnection connection, int size, long sendNanos) {
        ByteBuf payload = connection.allocate(size);
        payload.writeLong(sendNanos);
        payload.writeZero(size - TIMESTAMP_BYTES);
        return payload;
    }

    static long sendNanos(ByteBuf payload) {
        return payload.getLong(payload.readerIndex());
    }
}
