package org.wrenmq.bench.load;

import io.netty.bootstrap.Bootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.IoHandlerFactory;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.WriteBufferWaterMark;
import io.netty.channel.epoll.Epoll;
import io.netty.channel.epoll.EpollIoHandler;
import io.netty.channel.epoll.EpollSocketChannel;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.nio.NioSocketChannel;
import io.netty.handler.codec.mqtt.MqttDecoder;
import io.netty.handler.codec.mqtt.MqttEncoder;
import io.netty.handler.ssl.SslContext;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * Opens client connections on two event-loop threads: one reads for every subscriber, the other serves every
 * publisher (and idle connection). Thousands of connections cost the load generator no threads, which is why it is
 * not built on a blocking client library; and publishers flooding the broker as fast as TCP allows never delay
 * the reading of what the broker delivers, so a subscriber keeps up as long as its thread gets a core.
 */
final class ClientFactory implements AutoCloseable {
    /** The broker may send us packets up to this size; larger ones fail the decoder. */
    private static final int MAX_PACKET_BYTES = 1 << 20;
    /** Publishers stop writing above this many unflushed/unsent bytes and resume below the low mark. */
    private static final WriteBufferWaterMark WATER_MARK = new WriteBufferWaterMark(32 * 1024, 128 * 1024);

    private final MultiThreadIoEventLoopGroup receiving;
    private final MultiThreadIoEventLoopGroup sending;
    private final Bootstrap bootstrap;
    /** TLS towards the brokers (bench/run.sh --tls), or null for plain TCP. */
    private final SslContext tls;

    ClientFactory() {
        this(null);
    }

    /**
     * @param tls the client TLS context; each connection makes a full handshake (no peer host is given, so no
     *            session is resumed), as devices reconnecting after a broker restart do
     */
    ClientFactory(SslContext tls) {
        this.tls = tls;
        boolean epoll = Epoll.isAvailable();
        IoHandlerFactory io = epoll ? EpollIoHandler.newFactory() : NioIoHandler.newFactory();
        Class<? extends Channel> channelType = epoll ? EpollSocketChannel.class : NioSocketChannel.class;
        this.receiving = new MultiThreadIoEventLoopGroup(1, io);
        this.sending = new MultiThreadIoEventLoopGroup(1, io);
        this.bootstrap = new Bootstrap().group(sending).channel(channelType)
                .option(ChannelOption.TCP_NODELAY, true)
                .option(ChannelOption.CONNECT_TIMEOUT_MILLIS, 10_000)
                .option(ChannelOption.WRITE_BUFFER_WATER_MARK, WATER_MARK);
    }

    /**
     * Connects, sends CONNECT; the future completes on CONNACK or fails on refusal or socket error.
     *
     * @param subscriber whether the connection reads on the subscribers' thread
     * @param deviceLike whether it writes one packet per system call (see {@link ClientConnection})
     */
    CompletableFuture<ClientConnection> connect(Target target, String clientId, ClientConnection.Listener listener,
                                                boolean subscriber, boolean deviceLike) {
        ClientConnection connection = new ClientConnection(clientId, listener, deviceLike);
        bootstrap.clone(subscriber ? receiving : sending).handler(new ChannelInitializer<>() {
            @Override
            protected void initChannel(Channel ch) {
                if (tls != null) {
                    ch.pipeline().addLast("tls", tls.newHandler(ch.alloc()));
                }
                ch.pipeline().addLast("decoder", new MqttDecoder(MAX_PACKET_BYTES))
                        .addLast("encoder", MqttEncoder.INSTANCE)
                        .addLast("client", connection);
            }
        }).connect(target.host(), subscriber ? target.subscriberPort() : target.port()).addListener(f -> {
            if (!f.isSuccess()) {
                connection.fail(f.cause());
            }
        });
        return connection.connected();
    }

    @Override
    public void close() {
        receiving.shutdownGracefully(0, 2, TimeUnit.SECONDS);
        sending.shutdownGracefully(0, 2, TimeUnit.SECONDS).syncUninterruptibly();
        receiving.terminationFuture().syncUninterruptibly();
    }
}
