package org.wrenmq.broker.transport;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelPipeline;
import io.netty.handler.codec.MessageToMessageCodec;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.HttpServerCodec;
import io.netty.handler.codec.http.websocketx.BinaryWebSocketFrame;
import io.netty.handler.codec.http.websocketx.ContinuationWebSocketFrame;
import io.netty.handler.codec.http.websocketx.WebSocketFrame;
import io.netty.handler.codec.http.websocketx.WebSocketServerProtocolConfig;
import io.netty.handler.codec.http.websocketx.WebSocketServerProtocolHandler;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * MQTT over WebSockets (MQTT 3.1.1 and 5.0, section 6) on Netty's HTTP and WebSocket codecs: the HTTP upgrade on
 * any path with subprotocol {@code mqtt} or {@code mqttv3.1}, then binary frames carry the byte stream. Frames are
 * not packets: a packet may span frames and a frame may hold several packets, so frames become plain bytes here
 * and {@link MqttCodec} cuts packets from them as on a TCP listener.
 */
final class WebSocketTransport {
    /** The largest HTTP upgrade request accepted, bytes (browsers send well under 8 KiB of headers). */
    static final int MAX_UPGRADE_REQUEST_BYTES = 65_536;
    /** Subprotocols MQTT clients ask for: {@code mqtt} (3.1.1 and 5.0) and {@code mqttv3.1}. */
    static final String SUBPROTOCOLS = "mqtt,mqttv3.1";

    private WebSocketTransport() {
    }

    /** Adds the HTTP upgrade and the frame-to-bytes codec; frames up to {@code maxFrameBytes} of payload. */
    static void addTo(ChannelPipeline pipeline, int maxFrameBytes) {
        pipeline.addLast("http", new HttpServerCodec())
                .addLast("http-aggregator", new HttpObjectAggregator(MAX_UPGRADE_REQUEST_BYTES))
                .addLast("websocket", new WebSocketServerProtocolHandler(WebSocketServerProtocolConfig.newBuilder()
                        .websocketPath("/")
                        .checkStartsWith(true)
                        .subprotocols(SUBPROTOCOLS)
                        .maxFramePayloadLength(maxFrameBytes)
                        .build()))
                .addLast("websocket-bytes", new FrameBytes());
    }

    /** Binary (and continuation) frames in, their bytes out; bytes written become binary frames. */
    static final class FrameBytes extends MessageToMessageCodec<WebSocketFrame, ByteBuf> {
        private static final Logger LOG = LoggerFactory.getLogger(FrameBytes.class);

        @Override
        protected void encode(ChannelHandlerContext ctx, ByteBuf bytes, List<Object> out) {
            out.add(new BinaryWebSocketFrame(bytes.retain()));
        }

        @Override
        protected void decode(ChannelHandlerContext ctx, WebSocketFrame frame, List<Object> out) {
            if (frame instanceof BinaryWebSocketFrame || frame instanceof ContinuationWebSocketFrame) {
                out.add(frame.content().retain());
                return;
            }
            LOG.warn("WebSocket connection from {} closed: a {} frame; MQTT travels in binary frames only "
                    + "[MQTT-6.0.0-1]", ctx.channel().remoteAddress(), frame.getClass().getSimpleName());
            ctx.close();
        }
    }
}
