package org.wrenmq.bench.load;

import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.EventLoop;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.handler.codec.mqtt.MqttConnAckMessage;
import io.netty.handler.codec.mqtt.MqttConnectReturnCode;
import io.netty.handler.codec.mqtt.MqttFixedHeader;
import io.netty.handler.codec.mqtt.MqttMessage;
import io.netty.handler.codec.mqtt.MqttMessageBuilders;
import io.netty.handler.codec.mqtt.MqttMessageIdVariableHeader;
import io.netty.handler.codec.mqtt.MqttMessageType;
import io.netty.handler.codec.mqtt.MqttPublishMessage;
import io.netty.handler.codec.mqtt.MqttPublishVariableHeader;
import io.netty.handler.codec.mqtt.MqttQoS;
import io.netty.handler.codec.mqtt.MqttSubAckMessage;
import io.netty.handler.codec.mqtt.MqttVersion;
import java.util.concurrent.CompletableFuture;

/**
 * One MQTT 3.1.1 client connection of the load generator. Everything after CONNECT runs on the channel's event
 * loop: {@link #publish} and {@link #flush} must be called there. Incoming QoS 1/2 messages are acknowledged
 * here.
 *
 * <p>Two ways to write: batched (publishes and acknowledgements flushed once per batch or read, many packets per
 * system call, the most a broker can be pushed) or device-like (every packet written and flushed on its own, and
 * at most {@link #DEVICE_WINDOW} QoS 1/2 publishes unacknowledged, as Eclipse Paho and mosquitto's clients and
 * most devices do).
 */
final class ClientConnection extends SimpleChannelInboundHandler<MqttMessage> {

    /** What the workload wants to hear about; called on the event loop. */
    interface Listener {
        default void onMessage(MqttPublishMessage message) {
        }

        /** A PUBACK (QoS 1) or PUBCOMP (QoS 2) closed one of our publishes. */
        default void onPublishCompleted() {
        }

        default void onWritable() {
        }
    }

    /** Paho's default max inflight ({@code MqttConnectOptions.MAX_INFLIGHT_DEFAULT}): QoS 1/2 window of a device. */
    static final int DEVICE_WINDOW = 10;

    /** Broker-side keep-alive: long enough that idle connections send no PINGREQ during a run. */
    private static final int KEEP_ALIVE_SECONDS = 600;

    private final String clientId;
    private final Listener listener;
    private final boolean deviceLike;
    private final CompletableFuture<ClientConnection> connected = new CompletableFuture<>();
    private CompletableFuture<Void> pendingSubAck;
    private Channel channel;
    private int nextPacketId;
    private int inflight;

    ClientConnection(String clientId, Listener listener, boolean deviceLike) {
        this.clientId = clientId;
        this.listener = listener;
        this.deviceLike = deviceLike;
    }

    /** The QoS 1/2 window a publisher keeps: its own when batched, Paho's when device-like. */
    int window(int batchedWindow) {
        return deviceLike ? Math.min(batchedWindow, DEVICE_WINDOW) : batchedWindow;
    }

    /** Completes when the CONNACK accepted the connection. */
    CompletableFuture<ClientConnection> connected() {
        return connected;
    }

    EventLoop eventLoop() {
        return channel.eventLoop();
    }

    boolean isWritable() {
        return channel.isWritable();
    }

    /** Our QoS 1/2 publishes not yet completed by PUBACK/PUBCOMP. */
    int inflight() {
        return inflight;
    }

    /** Subscribes with one filter; completes when the SUBACK grants it. Any thread. */
    CompletableFuture<Void> subscribe(String filter, MqttQoS qos) {
        CompletableFuture<Void> subAck = new CompletableFuture<>();
        channel.eventLoop().execute(() -> {
            pendingSubAck = subAck;
            channel.writeAndFlush(MqttMessageBuilders.subscribe()
                    .messageId(packetId())
                    .addSubscription(qos, filter)
                    .build());
        });
        return subAck;
    }

    /** Writes a PUBLISH, flushed at once when device-like; takes ownership of the payload. Event loop only. */
    void publish(String topic, MqttQoS qos, ByteBuf payload) {
        int packetId = 0;
        if (qos != MqttQoS.AT_MOST_ONCE) {
            packetId = packetId();
            inflight++;
        }
        send(new MqttPublishMessage(
                new MqttFixedHeader(MqttMessageType.PUBLISH, false, qos, false, 0),
                new MqttPublishVariableHeader(topic, packetId), payload));
    }

    /** Batched: written, flushed later by the caller or at the end of the read; device-like: flushed now. */
    private void send(MqttMessage packet) {
        if (deviceLike) {
            channel.writeAndFlush(packet, channel.voidPromise());
        } else {
            channel.write(packet, channel.voidPromise());
        }
    }

    void flush() {
        channel.flush();
    }

    ByteBuf allocate(int size) {
        return channel.alloc().buffer(size);
    }

    /** Sends DISCONNECT and closes; the returned future completes when the socket is closed. Any thread. */
    CompletableFuture<Void> close() {
        CompletableFuture<Void> closed = new CompletableFuture<>();
        if (channel == null) {
            closed.complete(null);
            return closed;
        }
        channel.writeAndFlush(MqttMessage.DISCONNECT).addListener(f -> channel.close());
        channel.closeFuture().addListener(f -> closed.complete(null));
        return closed;
    }

    @Override
    public void channelActive(ChannelHandlerContext ctx) {
        channel = ctx.channel();
        ctx.writeAndFlush(MqttMessageBuilders.connect()
                .clientId(clientId)
                .protocolVersion(MqttVersion.MQTT_3_1_1)
                .cleanSession(true)
                .keepAlive(KEEP_ALIVE_SECONDS)
                .build());
    }

    @Override
    protected void channelRead0(ChannelHandlerContext ctx, MqttMessage message) {
        if (message.decoderResult().isFailure()) {
            fail(new IllegalStateException("undecodable packet from broker", message.decoderResult().cause()));
            ctx.close();
            return;
        }
        switch (message.fixedHeader().messageType()) {
            case PUBLISH -> received((MqttPublishMessage) message);
            case PUBACK, PUBCOMP -> {
                inflight--;
                listener.onPublishCompleted();
            }
            case PUBREC -> send(ack(MqttMessageType.PUBREL, MqttQoS.AT_LEAST_ONCE, message));
            case PUBREL -> send(ack(MqttMessageType.PUBCOMP, MqttQoS.AT_MOST_ONCE, message));
            case CONNACK -> connAck((MqttConnAckMessage) message);
            case SUBACK -> subAck((MqttSubAckMessage) message);
            default -> {
                // PINGRESP, UNSUBACK: nothing to do
            }
        }
    }

    private void received(MqttPublishMessage message) {
        MqttQoS qos = message.fixedHeader().qosLevel();
        if (qos == MqttQoS.AT_LEAST_ONCE) {
            send(ack(MqttMessageType.PUBACK, MqttQoS.AT_MOST_ONCE, message));
        } else if (qos == MqttQoS.EXACTLY_ONCE) {
            send(ack(MqttMessageType.PUBREC, MqttQoS.AT_MOST_ONCE, message));
        }
        // SimpleChannelInboundHandler releases the payload after this returns
        listener.onMessage(message);
    }

    private void connAck(MqttConnAckMessage message) {
        MqttConnectReturnCode code = message.variableHeader().connectReturnCode();
        if (code == MqttConnectReturnCode.CONNECTION_ACCEPTED) {
            connected.complete(this);
        } else {
            fail(new IllegalStateException("CONNECT refused: " + code));
        }
    }

    private void subAck(MqttSubAckMessage message) {
        CompletableFuture<Void> subAck = pendingSubAck;
        pendingSubAck = null;
        if (subAck == null) {
            return;
        }
        if (message.payload().grantedQoSLevels().stream().anyMatch(q -> q >= 0x80)) {
            subAck.completeExceptionally(new IllegalStateException("subscription refused"));
        } else {
            subAck.complete(null);
        }
    }

    @Override
    public void channelReadComplete(ChannelHandlerContext ctx) {
        ctx.flush();
    }

    @Override
    public void channelWritabilityChanged(ChannelHandlerContext ctx) {
        if (ctx.channel().isWritable()) {
            listener.onWritable();
        }
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        fail(new IllegalStateException("connection closed by broker"));
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        fail(cause);
        ctx.close();
    }

    void fail(Throwable cause) {
        connected.completeExceptionally(cause);
        CompletableFuture<Void> subAck = pendingSubAck;
        if (subAck != null) {
            subAck.completeExceptionally(cause);
        }
    }

    private int packetId() {
        nextPacketId = nextPacketId == 0xFFFF ? 1 : nextPacketId + 1;
        return nextPacketId;
    }

    private static MqttMessage ack(MqttMessageType type, MqttQoS qos, MqttMessage acked) {
        int packetId = acked instanceof MqttPublishMessage publish
                ? publish.variableHeader().packetId()
                : ((MqttMessageIdVariableHeader) acked.variableHeader()).messageId();
        return new MqttMessage(new MqttFixedHeader(type, false, qos, false, 0),
                MqttMessageIdVariableHeader.from(packetId));
    }
}
