package org.wrenmq.broker.transport;

import io.netty.channel.ChannelInitializer;
import io.netty.channel.Channel;
import io.netty.channel.ChannelPipeline;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslHandler;
import org.wrenmq.broker.BrokerContext;
import org.wrenmq.broker.ListenerConfig;
import org.wrenmq.broker.handler.KeepAliveSweeps;
import org.wrenmq.broker.handler.MqttConnectionHandler;

/**
 * The pipeline of one MQTT connection, built from its listener's settings: TLS ({@link SslHandler}, watched by
 * {@link TlsHandshakeWatcher} until the handshake ends) and WebSockets ({@link WebSocketTransport}) when the
 * listener has them, then the MQTT codec (one whole packet at a time, decoded and encoded by Netty's MQTT codec,
 * see {@link MqttCodec}), the {@link ConnectGate} until CONNECT (connect_timeout, max_pending_connections), and
 * the connection handler that dispatches each packet type, the same for every listener (its writes are
 * flushed once per event-loop turn, by the handler package's TurnFlusher). Each handler costs every connection a
 * pipeline context, so there is nothing else (keepalive is a per-loop sweep) but the shared byte counter next to
 * the socket: an idle plain connection has three.
 * The decoder refuses any packet larger than the largest PUBLISH {@code message_size_limit} allows, so an
 * oversize packet is never buffered whole.
 */
public final class MqttChannelInitializer extends ChannelInitializer<Channel> {
    private final BrokerContext broker;
    private final KeepAliveSweeps keepAliveSweeps;
    private final ListenerRuntime listener;
    private final int maxPacketSize;
    private final ByteCounter bytes;

    /** @param keepAliveSweeps the broker's one set of per-loop sweeps, shared by every listener */
    public MqttChannelInitializer(BrokerContext broker, ListenerRuntime listener, KeepAliveSweeps keepAliveSweeps) {
        this.broker = broker;
        this.keepAliveSweeps = keepAliveSweeps;
        this.listener = listener;
        this.maxPacketSize = broker.config().maxIncomingPacketSize();
        this.bytes = new ByteCounter(broker.metrics());
    }

    @Override
    protected void initChannel(Channel ch) {
        if (!listener.admit(ch, broker.metrics())) {
            return;
        }
        ListenerConfig config = listener.config();
        ChannelPipeline pipeline = ch.pipeline();
        pipeline.addLast("bytes", bytes);
        SslContext tls = listener.tls();
        if (tls != null) {
            SslHandler ssl = tls.newHandler(ch.alloc());
            ssl.setHandshakeTimeoutMillis(config.tls().handshakeTimeoutMillis());
            pipeline.addLast("tls", ssl)
                    .addLast("tls-handshake", new TlsHandshakeWatcher(config.tls(), broker.metrics()));
        }
        if (config.protocol() == ListenerConfig.Protocol.WEBSOCKETS) {
            WebSocketTransport.addTo(pipeline, maxPacketSize);
        }
        MqttConnectionHandler connection = new MqttConnectionHandler(broker, keepAliveSweeps, listener.authenticator(),
                listener.authorizer());
        pipeline.addLast("codec", new MqttCodec(maxPacketSize, framesOf(connection)))
                .addLast(ConnectGate.NAME, new ConnectGate(broker.pendingConnections()))
                .addLast("mqtt", connection);
    }

    /** The codec reports to the connection; the handler package does not know the transport's types. */
    private static MqttCodec.Listener framesOf(MqttConnectionHandler connection) {
        return new MqttCodec.Listener() {
            @Override
            public long packetsDecoded() {
                return connection.packetsDecoded();
            }

            @Override
            public boolean closing() {
                return connection.closing();
            }

            @Override
            public void malformedFrame(String why) {
                connection.malformedFrame(why);
            }

            @Override
            public void frameTooLarge(long remainingLength) {
                connection.frameTooLarge(remainingLength);
            }
        };
    }
}
