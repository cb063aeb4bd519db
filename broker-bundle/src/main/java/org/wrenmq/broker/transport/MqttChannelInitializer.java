package org.wrenmq.broker.transport;

import io.netty.channel.ChannelInitializer;
import io.netty.channel.socket.SocketChannel;
import io.netty.handler.codec.mqtt.MqttDecoder;
import io.netty.handler.codec.mqtt.MqttEncoder;
import org.wrenmq.broker.BrokerContext;
import org.wrenmq.broker.handler.MqttConnectionHandler;

/**
 * The pipeline of one MQTT connection: framing (one whole packet at a time, see {@link MqttFrameDecoder}), Netty's
 * MQTT codec, then the connection handler that dispatches each packet type (its writes are flushed once per
 * event-loop turn, by the handler package's TurnFlusher). Each handler costs every connection a pipeline context,
 * so there is nothing else (keepalive is a per-loop sweep) but the shared byte counter next to the socket.
 * The decoder refuses any packet larger than the largest PUBLISH {@code message_size_limit} allows, so an
 * oversize packet is never buffered whole.
 */
public final class MqttChannelInitializer extends ChannelInitializer<SocketChannel> {
    /** MQTT 3.1 client ids are at most 23 characters; later versions have no such limit. */
    private static final int MQTT31_MAX_CLIENT_ID_LENGTH = 23;

    private final BrokerContext broker;
    private final int maxPacketSize;
    private final ByteCounter bytes;

    public MqttChannelInitializer(BrokerContext broker) {
        this.broker = broker;
        this.maxPacketSize = broker.config().maxIncomingPacketSize();
        this.bytes = new ByteCounter(broker.metrics());
    }

    @Override
    protected void initChannel(SocketChannel ch) {
        MqttConnectionHandler connection = new MqttConnectionHandler(broker);
        ch.pipeline()
                .addLast("bytes", bytes)
                .addLast("frames", new MqttFrameDecoder(maxPacketSize, connection))
                .addLast("decoder", new MqttDecoder(maxPacketSize, MQTT31_MAX_CLIENT_ID_LENGTH))
                .addLast("encoder", MqttEncoder.INSTANCE)
                .addLast("mqtt", connection);
    }
}
