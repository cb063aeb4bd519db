package org.wrenmq.broker.bridge;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelOutboundHandlerAdapter;
import io.netty.channel.ChannelPromise;

/**
 * {@code try_private}: sets the high bit of the protocol level in the encoded CONNECT (0x83 or 0x84), mosquitto's
 * sign that the client is a bridge, so the remote does not send the bridge's own messages back to it. Netty's
 * encoder only writes the levels of the specification, so the bit is set in its output; then this handler leaves
 * the pipeline.
 */
final class PrivateBridgeFlag extends ChannelOutboundHandlerAdapter {

    @Override
    public void write(ChannelHandlerContext ctx, Object msg, ChannelPromise promise) {
        if (msg instanceof ByteBuf && ((ByteBuf) msg).readableBytes() > 0) {
            ByteBuf b = (ByteBuf) msg;
            int i = b.readerIndex();
            if ((b.getUnsignedByte(i) & 0xF0) == 0x10) {
                int pos = i + 1;
                while ((b.getUnsignedByte(pos) & 0x80) != 0) {
                    pos++;
                }
                pos++;
                int nameLength = b.getUnsignedShort(pos);
                int level = pos + 2 + nameLength;
                b.setByte(level, b.getUnsignedByte(level) | 0x80);
                ctx.pipeline().remove(this);
            }
        }
        ctx.write(msg, promise);
    }
}
