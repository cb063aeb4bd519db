package org.wrenmq.broker.transport;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelDuplexHandler;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelPromise;
import org.wrenmq.broker.metrics.BrokerMetrics;

/**
 * Counts the bytes read from and written to every client socket ({@code bytes.received}, {@code bytes.sent}).
 * It sits next to the socket, so it sees each read once and each encoded packet once. One instance serves all
 * connections of a broker.
 */
@ChannelHandler.Sharable
final class ByteCounter extends ChannelDuplexHandler {
    private final BrokerMetrics metrics;

    ByteCounter(BrokerMetrics metrics) {
        this.metrics = metrics;
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (msg instanceof ByteBuf) {
            metrics.bytesReceived.add(((ByteBuf) msg).readableBytes());
        }
        ctx.fireChannelRead(msg);
    }

    @Override
    public void write(ChannelHandlerContext ctx, Object msg, ChannelPromise promise) {
        if (msg instanceof ByteBuf) {
            metrics.bytesSent.add(((ByteBuf) msg).readableBytes());
        }
        ctx.write(msg, promise);
    }
}
