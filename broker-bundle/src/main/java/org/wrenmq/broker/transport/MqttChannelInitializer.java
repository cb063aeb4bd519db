package org.wrenmq.broker.transport;

import io.netty.channel.ChannelInitializer;
import io.netty.channel.socket.SocketChannel;
import io.netty.handler.codec.mqtt.MqttDecoder;
import io.netty.handler.codec.mqtt.MqttEncoder;
import io.netty.handler.flush.FlushConsolidationHandler;
import org.wrenmq.broker.BrokerContext;
import org.wrenmq.broker.handler.MqttConnectionHandler;

/**
 * The pipeline of one MQTT connection: flush consolidation (the writes made while reading a batch of packets go
 * out in one syscall; a write from another loop is flushed at once, which keeps latency low), framing (one whole packet
 * at a time, see {@link MqttFrameDecoder}), Netty's MQTT codec, then
 * the connection handler that dispatches each packet type. The decoder refuses any packet larger than the largest
 * PUBLISH {@code message_size_limit} allows, so an oversize packet is never buffered whole.
 */
public final class MqttChannelInitializer extends ChannelInitializer<SocketChannel> {
    /** MQTT 3.1 client ids are at most 23 characters; later versions have no such limit. */
    private static final int MQTT31_MAX_CLIENT_ID_LENGTH = 23;

    private final BrokerContext broker;
    private final int maxPacketSize;

    public MqttChannelInitializer(BrokerContext broker) {
        this.broker = broker;
        this.maxPacketSize = broker.config().maxIncomingPacketSize();
    }

    @Override
    protected void initChannel(SocketChannel ch) {
        MqttConnectionHandler connection = new MqttConnectionHandler(broker);
        ch.pipeline()
                .addLast("flush", new FlushConsolidationHandler(64, false))
                .addLast("frames", new MqttFrameDecoder(maxPacketSize, connection))
                .addLast("decoder", new MqttDecoder(maxPacketSize, MQTT31_MAX_CLIENT_ID_LENGTH))
                .addLast("encoder", MqttEncoder.INSTANCE)
                .addLast("mqtt", connection);
    }
}
