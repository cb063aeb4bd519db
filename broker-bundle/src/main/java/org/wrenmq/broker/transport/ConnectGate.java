package org.wrenmq.broker.transport;

import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.util.ReferenceCountUtil;
import org.wrenmq.broker.admission.PendingConnections;
import io.netty.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/**
 * Watches a connection from accept until its CONNECT is decoded, then removes itself from the pipeline (as
 * HiveMQ's connection limiter does), so it costs nothing per later packet.
 *
 * <p>A connection above {@code max_pending_connections} is closed at once; one that has not delivered a whole
 * CONNECT within {@code connect_timeout} (it sends nothing, or dribbles the packet) is closed then. Without this,
 * half-open sockets and scanners would hold a file descriptor each for as long as they like.
 */
final class ConnectGate extends ChannelInboundHandlerAdapter {
    static final String NAME = "connect-gate";

    private final PendingConnections pending;
    private ScheduledFuture<?> timeout;
    private boolean holdsPlace;
    private boolean refused;

    ConnectGate(PendingConnections pending) {
        this.pending = pending;
    }

    @Override
    public void channelActive(ChannelHandlerContext ctx) {
        if (!pending.enter(ctx.channel())) {
            // never announced to the handlers behind, so they see neither this connection nor its end
            refused = true;
            ctx.close();
            return;
        }
        holdsPlace = true;
        timeout = ctx.executor().schedule(() -> expire(ctx), pending.timeoutNanos(), TimeUnit.NANOSECONDS);
        ctx.fireChannelActive();
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (refused) {
            ReferenceCountUtil.release(msg);
            return;
        }
        Object connect = LongWillTopic.restore(ctx.channel(), msg);
        ctx.pipeline().remove(this);
        ctx.fireChannelRead(connect);
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        if (!refused) {
            ctx.fireChannelInactive();
        }
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        if (!refused) {
            ctx.fireExceptionCaught(cause);
        }
    }

    @Override
    public void handlerRemoved(ChannelHandlerContext ctx) {
        release();
    }

    private void expire(ChannelHandlerContext ctx) {
        if (holdsPlace) {
            release();
            pending.timedOut(ctx.channel());
            ctx.close();
        }
    }

    private void release() {
        if (holdsPlace) {
            holdsPlace = false;
            pending.leave();
            timeout.cancel(false);
        }
    }
}
