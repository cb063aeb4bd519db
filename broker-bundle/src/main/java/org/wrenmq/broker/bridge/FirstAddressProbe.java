package org.wrenmq.broker.bridge;

import io.netty.bootstrap.Bootstrap;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoop;
import io.netty.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import org.wrenmq.broker.BridgeConfig;
import org.wrenmq.broker.transport.Transports;

/**
 * {@code round_robin false} while connected to a later address: every {@link #PERIOD_SECONDS} s a plain TCP connect
 * to the first address (closed at once); the first one that succeeds calls {@code answered} and ends the probing.
 * mosquitto's bridge_check does the same, with the same period. Runs on the bridge's event loop.
 */
final class FirstAddressProbe {
    /** mosquitto's {@code primary_retry}: 5 s. */
    static final long PERIOD_SECONDS = 5;

    private final ScheduledFuture<?> timer;
    private boolean done;

    private FirstAddressProbe(EventLoop loop, BridgeConfig.Address first, int connectTimeoutMillis,
                              Runnable answered) {
        timer = loop.scheduleAtFixedRate(() -> new Bootstrap().group(loop).channel(Transports.socketChannel())
                .option(ChannelOption.CONNECT_TIMEOUT_MILLIS, connectTimeoutMillis)
                .handler(new ChannelInboundHandlerAdapter())
                .connect(first.host(), first.port()).addListener((ChannelFuture f) -> {
                    if (f.isSuccess()) {
                        f.channel().close();
                        if (!done) {
                            cancel();
                            answered.run();
                        }
                    }
                }), PERIOD_SECONDS, PERIOD_SECONDS, TimeUnit.SECONDS);
    }

    static FirstAddressProbe start(EventLoop loop, BridgeConfig.Address first, int connectTimeoutMillis,
                                   Runnable answered) {
        return new FirstAddressProbe(loop, first, connectTimeoutMillis, answered);
    }

    void cancel() {
        done = true;
        timer.cancel(false);
    }
}
