package org.wrenmq.broker.handler;

import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.socket.DuplexChannel;
import io.netty.util.ReferenceCountUtil;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * How the server ends a connection, so that its last packet (a DISCONNECT with a reason code, a refusing CONNACK)
 * reaches the client: write and flush it, half-close (a FIN after the packet), then read and discard whatever the
 * client still sends until it closes its side or {@link #CLOSE_GRACE_MILLIS} passes.
 *
 * <p>Why not write, then close: closing a socket with unread bytes in its receive buffer makes the kernel answer
 * with a reset, and a reset can destroy the packet before the client reads it; a client still sending when it
 * exceeded a limit would see "connection reset" instead of 0x93, 0x95 or 0x81.
 */
final class GracefulClose {
    /** Longest time a half-closed connection waits for the client to close before closing it anyway. */
    static final long CLOSE_GRACE_MILLIS = 1000;

    private static final Logger LOG = LoggerFactory.getLogger(GracefulClose.class);
    private static final String DISCARD = "discard-after-last-packet";

    private GracefulClose() {
    }

    /**
     * Sends {@code lastPacket} (null: none) and ends the connection as above.
     *
     * @param graceExpired counted when the client did not close within the grace
     */
    static void close(Channel channel, Object lastPacket, LongAdder graceExpired) {
        if (!channel.isActive()) {
            ReferenceCountUtil.release(lastPacket);
            channel.close();
            return;
        }
        // from now on nothing the client sends is decoded, or buffered
        if (channel.pipeline().get(DISCARD) == null) {
            channel.pipeline().addFirst(DISCARD, Discard.INSTANCE);
        }
        channel.config().setAutoRead(true);
        if (lastPacket == null) {
            halfClose(channel, graceExpired);
        } else {
            channel.writeAndFlush(lastPacket).addListener(written -> halfClose(channel, graceExpired));
        }
    }

    /** As {@link #close} without waiting for the client: for the broker's own stop. */
    static void closeNow(Channel channel, Object lastPacket) {
        if (lastPacket == null || !channel.isActive()) {
            ReferenceCountUtil.release(lastPacket);
            channel.close();
        } else {
            channel.writeAndFlush(lastPacket).addListener(ChannelFutureListener.CLOSE);
        }
    }

    private static void halfClose(Channel channel, LongAdder graceExpired) {
        if (!channel.isActive() || !(channel instanceof DuplexChannel)) {
            channel.close();
            return;
        }
        ((DuplexChannel) channel).shutdownOutput().addListener(shut -> {
            var timer = channel.eventLoop().schedule(() -> {
                if (channel.isOpen()) {
                    graceExpired.increment();
                    LOG.debug("{}: the client did not close within {} ms of the server's last packet; closing",
                            channel.remoteAddress(), CLOSE_GRACE_MILLIS);
                    channel.close();
                }
            }, CLOSE_GRACE_MILLIS, TimeUnit.MILLISECONDS);
            channel.closeFuture().addListener(closed -> timer.cancel(false));
        });
    }

    /** Drops every inbound byte: the connection is ending, what the client still sends has no reader. */
    @ChannelHandler.Sharable
    private static final class Discard extends ChannelInboundHandlerAdapter {
        static final Discard INSTANCE = new Discard();

        @Override
        public void channelRead(ChannelHandlerContext ctx, Object msg) {
            ReferenceCountUtil.release(msg);
        }
    }
}
