package org.wrenmq.broker.bridge;

import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.mqtt.MqttConnAckMessage;
import io.netty.handler.codec.mqtt.MqttConnectReturnCode;
import io.netty.handler.codec.mqtt.MqttMessage;
import io.netty.handler.codec.mqtt.MqttMessageIdVariableHeader;
import io.netty.handler.codec.mqtt.MqttProperties;
import io.netty.handler.codec.mqtt.MqttPublishMessage;
import io.netty.handler.ssl.SslHandshakeCompletionEvent;
import io.netty.handler.timeout.IdleStateEvent;
import io.netty.util.ReferenceCountUtil;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.wrenmq.broker.BridgeConfig;
import org.wrenmq.broker.LocalSession;

/**
 * One connection of a bridge to its remote broker, as an MQTT client: CONNECT, SUBSCRIBE to the in topics,
 * PUBLISH of out messages, the acknowledgement flows both ways, PINGREQ at the keepalive. Runs on the bridge's
 * event loop. An out message's {@link LocalSession.Acknowledgement} is settled only on the remote's PUBACK or
 * PUBCOMP: until then it stays in the bridge's local session (and its store), to be sent again on the next
 * connection.
 */
final class RemoteLink extends ChannelInboundHandlerAdapter {
    private static final Logger LOG = LoggerFactory.getLogger(RemoteLink.class);
    private static final int MAX_PACKET_ID = 65_535;

    private final Bridge bridge;
    private final BridgeConfig config;
    private final int protocolVersion;
    private final String address;
    private Channel channel;
    private boolean up;
    /** Out messages sent and not yet acknowledged by the remote, by packet id. */
    private final Map<Integer, LocalSession.Acknowledgement> unacked = new HashMap<>();
    /** QoS 2 packet ids received and not yet released: a resent PUBLISH with one is not routed twice. */
    private final Set<Integer> incomingQos2 = new HashSet<>();
    private int lastPacketId;
    /** Largest packet the remote takes: bridge_max_packet_size, lowered by an MQTT 5 remote's own limit. */
    private int maxPacketSize;
    /** Why this connection failed before CONNACK (the first reason seen), for the bridge's one log line. */
    private String failure;

    RemoteLink(Bridge bridge, BridgeConfig config, int protocolVersion, String address) {
        this.bridge = bridge;
        this.config = config;
        this.protocolVersion = protocolVersion;
        this.address = address;
        this.maxPacketSize = config.maxPacketSize();
    }

    String address() {
        return address;
    }

    int protocolVersion() {
        return protocolVersion;
    }

    boolean isUp() {
        return up && channel.isActive();
    }

    @Override
    public void channelActive(ChannelHandlerContext ctx) {
        channel = ctx.channel();
        ctx.writeAndFlush(RemotePackets.connect(config, protocolVersion));
        ctx.fireChannelActive();
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        up = false;
        unacked.clear();
        bridge.linkDown(this);
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        if (up) {
            LOG.warn("bridge {}: connection to {} failed: {}", config.name(), address, LinkFailure.describe(cause));
        } else {
            failed(LinkFailure.describe(cause)); // logged once per outage by the bridge when the channel closes
        }
        ctx.close();
    }

    /** Notes why the attempt failed, before the channel closes; the first reason wins. */
    void failed(String why) {
        if (failure == null) {
            failure = why;
        }
    }

    String failure() {
        return failure;
    }

    @Override
    public void userEventTriggered(ChannelHandlerContext ctx, Object evt) {
        if (evt instanceof SslHandshakeCompletionEvent && !((SslHandshakeCompletionEvent) evt).isSuccess()) {
            failed(LinkFailure.describe(((SslHandshakeCompletionEvent) evt).cause()));
        }
        if (evt instanceof IdleStateEvent) {
            switch (((IdleStateEvent) evt).state()) {
                case WRITER_IDLE:
                    ctx.writeAndFlush(RemotePackets.pingReq());
                    break;
                case READER_IDLE:
                    LOG.warn("bridge {}: {} sent nothing for 1.5 keepalive intervals: closing the connection",
                            config.name(), address);
                    ctx.close();
                    break;
                default:
                    break;
            }
        }
        ctx.fireUserEventTriggered(evt);
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        try {
            read((MqttMessage) msg);
        } finally {
            ReferenceCountUtil.release(msg);
        }
    }

    private void read(MqttMessage m) {
        if (m.decoderResult().isFailure()) {
            LOG.warn("bridge {}: malformed packet from {}: {}", config.name(), address, m.decoderResult().cause());
            channel.close();
            return;
        }
        switch (m.fixedHeader().messageType()) {
            case CONNACK: connAck((MqttConnAckMessage) m); break;
            case PUBLISH: publish((MqttPublishMessage) m); break;
            case PUBACK: settle(packetId(m)); break;
            case PUBREC: channel.writeAndFlush(RemotePackets.pubRel(packetId(m))); break;
            case PUBCOMP: settle(packetId(m)); break;
            case PUBREL:
                incomingQos2.remove(packetId(m));
                channel.writeAndFlush(RemotePackets.pubComp(packetId(m)));
                break;
            case SUBACK: bridge.subscribed(m); break;
            case UNSUBACK:
            case PINGRESP:
                break;
            case DISCONNECT:
                LOG.warn("bridge {}: {} sent DISCONNECT", config.name(), address);
                channel.close();
                break;
            default:
                LOG.warn("bridge {}: unexpected {} from {}", config.name(), m.fixedHeader().messageType(), address);
                channel.close();
        }
    }

    private void connAck(MqttConnAckMessage ack) {
        MqttConnectReturnCode code = ack.variableHeader().connectReturnCode();
        if (code != MqttConnectReturnCode.CONNECTION_ACCEPTED) {
            bridge.refused(this, code);
            channel.close();
            return;
        }
        int receiveMaximum = MAX_PACKET_ID;
        MqttProperties props = ack.variableHeader().properties();
        if (protocolVersion == 5 && props != null) {
            MqttProperties.MqttProperty<?> rm = props.getProperty(
                    MqttProperties.MqttPropertyType.RECEIVE_MAXIMUM.value());
            if (rm != null) {
                receiveMaximum = (Integer) rm.value();
            }
            MqttProperties.MqttProperty<?> mps = props.getProperty(
                    MqttProperties.MqttPropertyType.MAXIMUM_PACKET_SIZE.value());
            if (mps != null && (maxPacketSize == 0 || (Integer) mps.value() < maxPacketSize)) {
                maxPacketSize = (Integer) mps.value();
            }
        }
        up = true;
        bridge.linkUp(this, receiveMaximum);
    }

    private void publish(MqttPublishMessage p) {
        int qos = p.fixedHeader().qosLevel().value();
        int id = p.variableHeader().packetId();
        String topic = p.variableHeader().topicName();
        switch (qos) {
            case 0:
                bridge.fromRemote(p, topic, () -> { });
                break;
            case 1:
                bridge.fromRemote(p, topic, () -> channel.writeAndFlush(RemotePackets.pubAck(id)));
                break;
            default:
                if (incomingQos2.add(id)) {
                    bridge.fromRemote(p, topic, () -> channel.writeAndFlush(RemotePackets.pubRec(id)));
                } else {
                    channel.writeAndFlush(RemotePackets.pubRec(id));
                }
        }
    }

    /** Sends one out message; for QoS 1/2 {@code ack} is settled when the remote has it. */
    void forward(String remoteTopic, org.wrenmq.api.MqttMessage m, boolean retain,
                 LocalSession.Acknowledgement ack) {
        int qos = m.qos().value();
        MqttProperties props = RemotePackets.properties(m, protocolVersion);
        byte[] payload = m.payload();
        int size = PacketSize.publish(remoteTopic, payload.length, qos, props);
        if (maxPacketSize > 0 && size > maxPacketSize) {
            bridge.tooLarge(remoteTopic, size, maxPacketSize);
            ack.accept();
            return;
        }
        int id = 0;
        if (qos > 0) {
            id = nextPacketId();
            unacked.put(id, ack);
        }
        channel.writeAndFlush(RemotePackets.publish(remoteTopic, payload, qos, retain, id, props));
        bridge.sentOut();
    }

    /** A notification ("1" connected, "0" disconnected) on the remote's notification topic. */
    void notifyRemote(String state) {
        channel.writeAndFlush(RemotePackets.publish(config.notificationTopic(),
                state.getBytes(StandardCharsets.UTF_8), 1, config.outgoingRetain(), nextPacketId(),
                MqttProperties.NO_PROPERTIES));
    }

    void subscribe(List<BridgeConfig.Topic> in) {
        channel.writeAndFlush(RemotePackets.subscribe(nextPacketId(), in, protocolVersion));
    }

    void unsubscribe(List<String> filters) {
        channel.writeAndFlush(RemotePackets.unsubscribe(nextPacketId(), filters));
    }

    /** Ends the connection with DISCONNECT (the remote then does not publish the will). */
    void disconnect() {
        if (channel != null && channel.isActive()) {
            channel.writeAndFlush(RemotePackets.disconnect()).addListener(f -> channel.close());
        }
    }

    void close() {
        if (channel != null) {
            channel.close();
        }
    }

    private void settle(int packetId) {
        LocalSession.Acknowledgement ack = unacked.remove(packetId);
        if (ack != null) {
            ack.accept();
        }
    }

    private int nextPacketId() {
        for (int tries = 0; tries < MAX_PACKET_ID; tries++) {
            lastPacketId = lastPacketId == MAX_PACKET_ID ? 1 : lastPacketId + 1;
            if (!unacked.containsKey(lastPacketId)) {
                return lastPacketId;
            }
        }
        throw new IllegalStateException("no free packet id");
    }

    private static int packetId(MqttMessage m) {
        return ((MqttMessageIdVariableHeader) m.variableHeader()).messageId();
    }
}
