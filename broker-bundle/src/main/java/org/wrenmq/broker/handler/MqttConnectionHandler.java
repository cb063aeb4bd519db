package org.wrenmq.broker.handler;

import io.netty.buffer.ByteBufUtil;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.EventLoop;
import io.netty.handler.codec.mqtt.MqttConnectMessage;
import io.netty.handler.codec.mqtt.MqttMessage;
import io.netty.handler.codec.mqtt.MqttMessageType;
import io.netty.handler.codec.mqtt.MqttPublishMessage;
import io.netty.handler.codec.mqtt.MqttReasonCodes;
import io.netty.handler.codec.mqtt.MqttSubscribeMessage;
import io.netty.handler.codec.mqtt.MqttUnsubscribeMessage;
import io.netty.handler.codec.mqtt.MqttVersion;
import io.netty.util.ReferenceCountUtil;
import java.net.InetSocketAddress;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.wrenmq.broker.BrokerContext;
import org.wrenmq.broker.auth.Authenticator;
import org.wrenmq.broker.auth.Authorizer;
import org.wrenmq.broker.auth.ClientAccess;
import org.wrenmq.broker.message.Publication;
import org.wrenmq.broker.routing.Delivery;
import org.wrenmq.broker.session.Outlet;
import org.wrenmq.broker.session.Session;

/**
 * One client connection: its state before and after CONNECT, and the dispatch of each incoming packet type to the
 * handler that owns it (one class per packet type, as mosquitto's handle_*.c). It is also the session's
 * {@link Outlet} while the client is attached.
 *
 * <p>Any packet the decoder could not read, or that breaks the protocol, closes this connection only, with one
 * log line naming the client and the reason (and, for MQTT 5, a DISCONNECT with the reason code first).
 */
public final class MqttConnectionHandler extends ChannelInboundHandlerAdapter
        implements Outlet {
    private static final Logger LOG = LoggerFactory.getLogger(MqttConnectionHandler.class);

    final BrokerContext broker;
    private final KeepAliveSweeps keepAliveSweeps;
    final Authenticator authenticator;
    final Authorizer authorizer;
    Channel channel;
    MqttVersion version = MqttVersion.MQTT_3_1_1;
    boolean connected;
    String clientId;
    Session session;
    /** What the acl_file lets this client do; set at CONNECT. */
    ClientAccess access = ClientAccess.UNCHECKED;
    /** The will from CONNECT, handed to the session, which publishes it unless a normal DISCONNECT comes. */
    Publication will;
    long willDelaySeconds;
    boolean closing;
    /** The last PUBACK/PUBREC waiting for the cluster to hold a message sent to other nodes, or null (PublishHandler). */
    java.util.concurrent.CompletableFuture<Void> acksAwaitingCluster;
    /** Tells the operator once about filters like {@code a/*} ({@code *} is no MQTT wildcard). */
    final StarFilterHint starFilterHint = new StarFilterHint();
    /** Whether this connection's first PUBLISH to $SYS was logged (the rest are only counted). */
    boolean sysPublishLogged;
    /** Packets the decoder produced, good or bad: the frame decoder checks each frame yielded one. */
    long packetsDecoded;
    // MQTT 5 limits announced by the client in CONNECT
    int clientReceiveMaximum = 65_535;
    long clientMaximumPacketSize = Long.MAX_VALUE;
    int clientTopicAliasMaximum;
    boolean requestProblemInformation = true;
    /** MQTT 5 topic aliases: the client's, towards us, and ours, towards it; made when first used. */
    private Map<Integer, String> inboundAliases;
    private Map<String, Integer> outboundAliases;
    // keepalive, watched by the event loop's KeepAliveSweep
    long lastPacketNanos;
    long keepAliveLimitNanos;
    int keepAliveSlot = -1;
    private KeepAliveSweep keepAliveSweep;
    private int keepAliveSeconds;
    /** Written to during this event-loop turn, flushed at its end by the loop's {@link TurnFlusher}. */
    boolean flushQueued;
    /** Written to the channel since its last flush, by {@link TurnFlusher}; bytes. */
    long unflushedBytes;

    public MqttConnectionHandler(BrokerContext broker, KeepAliveSweeps keepAliveSweeps) {
        this(broker, keepAliveSweeps, broker.authenticator(), broker.authorizer());
    }

    /** @param authenticator the listener's own, under {@code per_listener_settings true}; so is {@code authorizer} */
    public MqttConnectionHandler(BrokerContext broker, KeepAliveSweeps keepAliveSweeps, Authenticator authenticator,
                                 Authorizer authorizer) {
        this.broker = broker;
        this.keepAliveSweeps = keepAliveSweeps;
        this.authenticator = authenticator;
        this.authorizer = authorizer;
    }

    @Override
    public void channelActive(ChannelHandlerContext ctx) {
        channel = ctx.channel();
        int max = broker.config().maxConnections();
        broker.metrics().connectionsCurrent.increment();
        if (max >= 0 && broker.metrics().connectionsCurrent.sum() > max) {
            broker.metrics().connectionsRefusedMaxConnections.increment();
            LOG.warn("connection from {} refused: max_connections ({}) reached", remote(), max);
            closing = true;
            ctx.close();
            return;
        }
        broker.metrics().connectionsAccepted.increment();
        broker.connections().add(channel);
        ctx.fireChannelActive();
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        MqttMessage m = (MqttMessage) msg;
        packetsDecoded++;
        lastPacketNanos = broker.clock().nanos();
        try {
            if (closing) {
                return;
            }
            if (m.decoderResult().isFailure()) {
                MalformedPacketHandler.handle(this, m);
                return;
            }
            MqttMessageType type = m.fixedHeader().messageType();
            if (!connected && type != MqttMessageType.CONNECT) {
                protocolError(MqttReasonCodes.Disconnect.PROTOCOL_ERROR,
                        type + " before CONNECT [MQTT-3.1.0-1]");
                return;
            }
            switch (type) {
                case CONNECT: ConnectHandler.handle(this, (MqttConnectMessage) m); break;
                case PUBLISH: PublishHandler.handle(this, (MqttPublishMessage) m); break;
                case PUBACK:
                case PUBREC:
                case PUBREL:
                case PUBCOMP: PublishAckHandler.handle(this, m); break;
                case SUBSCRIBE: SubscribeHandler.handle(this, (MqttSubscribeMessage) m); break;
                case UNSUBSCRIBE: UnsubscribeHandler.handle(this, (MqttUnsubscribeMessage) m); break;
                case PINGREQ: send(Packets.pingResp()); break;
                case DISCONNECT: DisconnectHandler.handle(this, m); break;
                case AUTH: AuthHandler.handle(this, m); break;
                default: protocolError(MqttReasonCodes.Disconnect.PROTOCOL_ERROR,
                        type + " is sent by servers only");
            }
        } finally {
            ReferenceCountUtil.release(m);
        }
    }

    /**
     * Sends a packet. On the connection's event loop the write is flushed once at the end of the loop's turn,
     * with every other packet this connection got in that turn ({@link TurnFlusher}); from another thread it is
     * flushed at once. Callable from any thread.
     */
    void send(Object packet) {
        if (channel.eventLoop().inEventLoop()) {
            TurnFlusher.write(this, packet);
        } else {
            channel.writeAndFlush(packet, channel.voidPromise());
        }
    }

    @Override
    public void channelWritabilityChanged(ChannelHandlerContext ctx) {
        Session s = session;
        if (s != null && channel.isWritable()) {
            s.execute(s::pump);
        }
        ctx.fireChannelWritabilityChanged();
    }

    /** From CONNECT on: 1.5 x keepalive without a packet means the client is gone [MQTT-3.1.2-24]. */
    void watchKeepAlive(int keepAliveSeconds) {
        this.keepAliveSeconds = keepAliveSeconds;
        keepAliveLimitNanos = TimeUnit.MILLISECONDS.toNanos(keepAliveSeconds * 1500L);
        keepAliveSweep = keepAliveSweeps.of(channel.eventLoop());
        keepAliveSweep.add(this);
    }

    /** Called by the sweep: nothing came for 1.5 x keepalive. */
    void keepAliveExpired() {
        if (!closing) {
            broker.metrics().connectionsClosedKeepalive.increment();
            LOG.info("client '{}' ({}) sent nothing for 1.5 x its keepalive: closing [MQTT-3.1.2-24]", clientId,
                    remote());
            disconnect(MqttReasonCodes.Disconnect.KEEP_ALIVE_TIMEOUT, "keep alive timeout");
        }
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        // a write that was on its way (from a session, or a commit) fails quietly: the close is logged already
        closing = true;
        broker.metrics().connectionsCurrent.decrement();
        if (keepAliveSweep != null) {
            keepAliveSweep.remove(this);
        }
        Session s = session;
        if (s != null) {
            s.execute(() -> s.detach(this));
        }
        ctx.fireChannelInactive();
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        if (!closing) {
            LOG.info("client '{}' ({}): connection error, closing: {}", clientId, remote(), cause.toString());
        }
        if (!(cause instanceof java.io.IOException)) {
            // not the network: a packet this broker failed to handle, which is a bug to report
            broker.metrics().connectionsClosedInternalError.increment();
            LOG.warn("client '{}' ({}): internal error", clientId, remote(), cause);
        }
        closing = true;
        ctx.close();
    }

    /** The broker stops cleanly: MQTT 5 clients get DISCONNECT 0x8B, then every connection closes. */
    public void serverShutdown() {
        channel.eventLoop().execute(() -> disconnect(MqttReasonCodes.Disconnect.SERVER_SHUTTING_DOWN,
                "server shutting down"));
    }

    // ---- frames the decoder never turned into packets (the transport's frame decoder reports them) ----

    /** Packets the decoder produced, good or bad: the frame decoder checks each frame yielded one. */
    public long packetsDecoded() {
        return packetsDecoded;
    }

    /** Whether this connection is being closed (a malformed packet, a protocol error, the broker stopping...). */
    public boolean closing() {
        return closing;
    }

    public void malformedFrame(String why) {
        protocolError(MqttReasonCodes.Disconnect.MALFORMED_PACKET, "malformed packet: " + why);
    }

    public void frameTooLarge(long remainingLength) {
        broker.metrics().messagesRefusedSizeLimit.increment();
        protocolError(MqttReasonCodes.Disconnect.PACKET_TOO_LARGE, "packet of " + remainingLength
                + " bytes is larger than " + broker.config().maxIncomingPacketSize() + " (message_size_limit "
                + broker.config().messageSizeLimit() + ")");
    }

    // ---- closing ----

    /**
     * Closes for a protocol violation: one log line, MQTT 5 DISCONNECT with {@code reason}, then close.
     * Callable from any thread.
     */
    void protocolError(MqttReasonCodes.Disconnect reason, String why) {
        if (!channel.eventLoop().inEventLoop()) {
            channel.eventLoop().execute(() -> protocolError(reason, why));
            return;
        }
        if (closing) {
            return;
        }
        broker.metrics().connectionsClosedProtocolError.increment();
        LOG.warn("client '{}' ({}): {}; closing connection", clientId == null ? "" : clientId, remote(), why);
        disconnect(reason, why);
    }

    /**
     * Server-side DISCONNECT (MQTT 5 only, after CONNACK [MQTT-3.14.0-1]), then close, so that the client reads the
     * DISCONNECT before the end of the stream ({@link GracefulClose}).
     */
    void disconnect(MqttReasonCodes.Disconnect reason, String why) {
        if (closing) {
            return;
        }
        closing = true;
        MqttMessage last = version == MqttVersion.MQTT_5 && connected
                ? Packets.disconnect(reason, reasonString(why, Packets.DISCONNECT_BASE_SIZE)) : null;
        if (reason == MqttReasonCodes.Disconnect.SERVER_SHUTTING_DOWN) {
            GracefulClose.closeNow(channel, last); // the broker's stop does not wait for each client
        } else {
            closeAfter(last);
        }
    }

    /** Sends the server's last packet (or none) and ends the connection: the one way the server ends one. */
    void closeAfter(MqttMessage lastPacket) {
        closing = true;
        GracefulClose.close(channel, lastPacket, broker.metrics().connectionsCloseGraceExpired);
    }

    /**
     * The reason string to send in a packet of {@code baseSize} bytes without it, or null: only when the client
     * asked for problem information [MQTT-3.1.2-29] and the packet stays within its maximum size [MQTT-3.4.2-2].
     */
    String reasonString(String why, int baseSize) {
        if (!requestProblemInformation || why == null) {
            return null;
        }
        return baseSize + 3 + ByteBufUtil.utf8Bytes(why) <= clientMaximumPacketSize ? why : null;
    }

    /** The topic the client's alias stands for, or null. */
    String inboundAlias(int alias) {
        return inboundAliases == null ? null : inboundAliases.get(alias);
    }

    void setInboundAlias(int alias, String topic) {
        if (inboundAliases == null) {
            inboundAliases = new HashMap<>();
        }
        inboundAliases.put(alias, topic);
    }

    /** Our alias for {@code topic} towards the client, or null. */
    Integer outboundAlias(String topic) {
        return outboundAliases == null ? null : outboundAliases.get(topic);
    }

    int outboundAliasCount() {
        return outboundAliases == null ? 0 : outboundAliases.size();
    }

    void setOutboundAlias(String topic, int alias) {
        if (outboundAliases == null) {
            outboundAliases = new HashMap<>();
        }
        outboundAliases.put(topic, alias);
    }

    String remote() {
        return channel.remoteAddress() instanceof InetSocketAddress
                ? ((InetSocketAddress) channel.remoteAddress()).getAddress().getHostAddress() + ":"
                        + ((InetSocketAddress) channel.remoteAddress()).getPort()
                : String.valueOf(channel.remoteAddress());
    }

    // ---- Outlet: called on the session's executor ----

    @Override
    public boolean isWritable() {
        return channel.isWritable();
    }

    @Override
    public boolean sendPublish(Delivery d, int packetId, boolean dup) {
        return OutgoingPublish.send(this, d, packetId, dup);
    }

    @Override
    public void sendPubRel(int packetId) {
        send(Packets.pubRel(packetId));
    }

    @Override
    public void takenOver() {
        LOG.info("client '{}' ({}) taken over by a new connection with the same client id [MQTT-3.1.4-2]",
                clientId, remote());
        channel.eventLoop().execute(() -> disconnect(MqttReasonCodes.Disconnect.SESSION_TAKEN_OVER,
                "session taken over"));
    }

    @Override
    public void disconnectByAdministrator() {
        LOG.info("client '{}' ({}) disconnected by an administrator", clientId, remote());
        channel.eventLoop().execute(() -> disconnect(MqttReasonCodes.Disconnect.ADMINISTRATIVE_ACTION,
                "disconnected by an administrator"));
    }

    @Override
    public int keepAliveSeconds() {
        return keepAliveSeconds;
    }

    @Override
    public String remoteAddress() {
        return remote();
    }

    @Override
    public int protocolVersion() {
        return version.protocolLevel();
    }

    @Override
    public int receiveMaximum() {
        return clientReceiveMaximum;
    }

    @Override
    public EventLoop eventLoop() {
        return channel.eventLoop();
    }
}
