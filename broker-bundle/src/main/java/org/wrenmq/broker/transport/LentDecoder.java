package org.wrenmq.broker.transport;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.mqtt.MqttDecoder;
import io.netty.util.concurrent.FastThreadLocal;

/**
 * Netty's {@code MqttDecoder}, one per event-loop thread, lent to a connection for each whole packet it decodes
 * (a decoder per connection would sit in every idle connection's memory: the decoder, its replay buffer, a UTF-8
 * decoder and a pipeline stage, ~250 B).
 *
 * <p>Handed a complete frame, the decoder keeps no state from one packet to the next: it starts each packet from
 * its fixed header, and the MQTT version it needs for MQTT 5 properties is kept on the channel, not in the
 * decoder. So it is given back only after it read one whole frame into one packet and the connection goes on; a
 * decoder that gave up on a malformed frame (which ends the connection) is dropped with what it held.
 */
final class LentDecoder {
    /** MQTT 3.1 client ids are at most 23 characters; later versions have no such limit. */
    private static final int MQTT31_MAX_CLIENT_ID_LENGTH = 23;
    private static final FastThreadLocal<LentDecoder> IDLE = new FastThreadLocal<>();

    private final int maxPacketSize;
    private final MqttDecoder decoder;

    private LentDecoder(int maxPacketSize) {
        this.maxPacketSize = maxPacketSize;
        this.decoder = new MqttDecoder(maxPacketSize, MQTT31_MAX_CLIENT_ID_LENGTH);
    }

    /**
     * Decodes {@code frame}, one whole packet that this call releases, and passes the packet on from {@code ctx}
     * (a packet the decoder could not read is passed on as a failed decoder result).
     */
    static void decode(ChannelHandlerContext ctx, ByteBuf frame, int maxPacketSize, MqttCodec.Listener listener)
            throws Exception {
        LentDecoder lent = IDLE.get();
        if (lent == null || lent.maxPacketSize != maxPacketSize) {
            lent = new LentDecoder(maxPacketSize);
        } else {
            IDLE.set(null); // taken: a decode that reenters this thread (an in-process client) gets its own
        }
        long before = listener.packetsDecoded();
        boolean returned = false;
        try {
            lent.decoder.channelRead(ctx, frame);
            if (!frame.isReadable() && listener.packetsDecoded() == before + 1 && !listener.closing()) {
                IDLE.set(lent);
                returned = true;
            }
        } finally {
            // a decoder that read the frame whole released it; one that waits for more bytes still holds it
            if (!returned && frame.isReadable() && frame.refCnt() > 0) {
                frame.release();
            }
        }
    }
}
