package org.wrenmq.broker.handler;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.ByteBufUtil;
import io.netty.util.concurrent.FastThreadLocal;
import org.wrenmq.broker.Limits;
import org.wrenmq.broker.message.Publication;

/**
 * QoS 0 PUBLISH packets for MQTT 3.1 and 3.1.1 clients, encoded once per message on each event loop.
 *
 * <p>Why: such a packet is the same bytes for every subscriber (no packet id, no properties, never DUP
 * [MQTT-3.3.1-2]), yet Netty's encoder would allocate and fill a buffer per subscriber; in the fan-out benchmark
 * that was the largest share of the broker's CPU. Each event loop remembers the last message it sent; when the
 * same message comes again (the router hands a message to all subscribers on one loop in one task), it is
 * encoded once here and every further subscriber gets a duplicate sharing its memory. A message for a single
 * subscriber stays on the usual path, so it pays nothing extra.
 *
 * <p>A kept packet stays until the loop encodes another (or its thread ends), so only payloads up to
 * {@link #MAX_SHARED_PAYLOAD} are kept: larger ones are encoded per subscriber as before.
 */
final class SharedQos0Publish {
    /** Largest payload kept between deliveries: {@link Limits#SHARED_QOS0_MAX_PAYLOAD}. */
    static final int MAX_SHARED_PAYLOAD = Limits.SHARED_QOS0_MAX_PAYLOAD;

    private static final FastThreadLocal<SharedQos0Publish> LAST_ENCODED = new FastThreadLocal<>() {
        @Override
        protected SharedQos0Publish initialValue() {
            return new SharedQos0Publish();
        }

        @Override
        protected void onRemoval(SharedQos0Publish last) {
            last.forget();
        }
    };

    private Publication publication;
    private boolean retain;
    /** Encoded from the second delivery of {@link #publication} on. */
    private ByteBuf packet;

    private SharedQos0Publish() {
    }

    /**
     * The packet for {@code p} with the given RETAIN flag, for the caller to write (it owns one reference), or
     * null the first time this loop sees that message: the caller then encodes it as usual.
     */
    static ByteBuf packet(ByteBufAllocator alloc, Publication p, boolean retain) {
        if (p.payload().length > MAX_SHARED_PAYLOAD) {
            return null;
        }
        SharedQos0Publish last = LAST_ENCODED.get();
        if (last.publication != p || last.retain != retain) {
            last.forget();
            last.publication = p;
            last.retain = retain;
            return null;
        }
        if (last.packet == null) {
            last.packet = encode(alloc, p, retain);
        }
        return last.packet.retainedDuplicate();
    }

    private void forget() {
        publication = null;
        if (packet != null) {
            packet.release();
            packet = null;
        }
    }

    /** Fixed header (type 3, QoS 0), remaining length, topic, payload: MQTT 3.1.1 section 3.3. */
    private static ByteBuf encode(ByteBufAllocator alloc, Publication p, boolean retain) {
        int topicLength = ByteBufUtil.utf8Bytes(p.topic());
        int remaining = 2 + topicLength + p.payload().length;
        ByteBuf b = alloc.directBuffer(1 + OutgoingPublish.variableIntLength(remaining) + remaining);
        b.writeByte(0x30 | (retain ? 1 : 0));
        for (int value = remaining; ; value >>>= 7) {
            if (value < 0x80) {
                b.writeByte(value);
                break;
            }
            b.writeByte((value & 0x7F) | 0x80);
        }
        b.writeShort(topicLength);
        ByteBufUtil.reserveAndWriteUtf8(b, p.topic(), topicLength);
        b.writeBytes(p.payload());
        return b;
    }
}
