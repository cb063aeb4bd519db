package org.wrenmq.broker.transport;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelOutboundHandler;
import io.netty.channel.ChannelPromise;
import io.netty.handler.codec.ByteToMessageDecoder;
import io.netty.handler.codec.mqtt.MqttEncoder;
import java.net.SocketAddress;
import java.util.List;
import org.wrenmq.broker.handler.PrivateBridge;
import org.wrenmq.broker.handler.ReadingResumed;

/**
 * A connection's MQTT codec, one pipeline stage: cuts the byte stream into MQTT packets, has each whole packet
 * decoded by Netty's {@code MqttDecoder} ({@link LentDecoder}), and encodes the packets written with Netty's
 * shared {@code MqttEncoder}. One stage instead of three, and no decoder of its own while the connection is idle:
 * what an idle connection costs is mostly such per-connection objects (docs/performance.md).
 *
 * <p>Why whole packets: {@code MqttDecoder} is a replaying decoder that reads each field as far as the field
 * says. A packet whose fields claim more bytes than its remaining length would make it wait, and then take the
 * next packet's bytes as the rest of the field. Here a complete frame is handed over and, if the decoder produced
 * no packet from it, the frame was malformed [MQTT-4.8.0-1]. An oversize packet is refused from its header alone,
 * before any of it is buffered.
 */
public final class MqttCodec extends ByteToMessageDecoder implements ChannelOutboundHandler {

    /** Told about frames that never reach the MQTT decoder's output. */
    public interface Listener {
        /** A packet arrived whole; returns how many decoded packets the connection has seen so far. */
        long packetsDecoded();

        /** Whether the connection is being closed (after a packet the decoder could not read, among others). */
        boolean closing();

        void malformedFrame(String why);

        void frameTooLarge(long remainingLength);
    }

    private final int maxPacketSize;
    private final Listener listener;
    private boolean failed;
    private boolean first = true;

    public MqttCodec(int maxPacketSize, Listener listener) {
        this.maxPacketSize = maxPacketSize;
        this.listener = listener;
    }

    @Override
    protected void decode(ChannelHandlerContext ctx, ByteBuf in, List<Object> out) throws Exception {
        // a packet may pause reading (ReadPause): the packets after it wait in the buffer until reading resumes
        while (!failed && in.readableBytes() >= 1 && ctx.channel().config().isAutoRead()) {
            int start = in.readerIndex();
            String headerError = fixedHeaderError(in.getUnsignedByte(start));
            if (headerError != null) {
                fail(in, () -> listener.malformedFrame(headerError));
                return;
            }
            first = false;
            long remaining = 0;
            int multiplier = 1;
            int headerLength = 1;
            boolean complete = false;
            for (int i = 1; i <= 4 && start + i < in.writerIndex(); i++) {
                int b = in.getUnsignedByte(start + i);
                remaining += (long) (b & 0x7F) * multiplier;
                multiplier *= 128;
                headerLength++;
                if ((b & 0x80) == 0) {
                    complete = true;
                    break;
                }
                if (i == 4) {
                    fail(in, () -> listener.malformedFrame("remaining length longer than 4 bytes [MQTT-2.2.3]"));
                    return;
                }
            }
            if (!complete) {
                return;
            }
            long length = remaining;
            if (length > maxPacketSize) {
                fail(in, () -> listener.frameTooLarge(length));
                return;
            }
            int frameLength = headerLength + (int) length;
            if (in.readableBytes() < frameLength) {
                return;
            }
            long before = listener.packetsDecoded();
            if (before == 0) {
                LongWillTopic.remember(ctx.channel(), in, start + headerLength, (int) length);
                PrivateBridge.strip(ctx.channel(), in, start + headerLength, (int) length);
            }
            LentDecoder.decode(ctx, in.readRetainedSlice(frameLength), maxPacketSize, listener);
            if (listener.packetsDecoded() == before) {
                fail(in, () -> listener.malformedFrame("packet fields run past its remaining length of "
                        + length + " bytes"));
                return;
            }
        }
    }

    /**
     * While reading is paused, {@code ByteToMessageDecoder} would ask for one more read here (its own output stays
     * empty: {@link LentDecoder} passes the packets on), which would undo the pause.
     */
    @Override
    public void channelReadComplete(ChannelHandlerContext ctx) throws Exception {
        if (ctx.channel().config().isAutoRead()) {
            super.channelReadComplete(ctx);
        } else {
            discardSomeReadBytes();
            ctx.fireChannelReadComplete();
        }
    }

    @Override
    public void userEventTriggered(ChannelHandlerContext ctx, Object evt) throws Exception {
        if (evt == ReadingResumed.EVENT) {
            channelRead(ctx, Unpooled.EMPTY_BUFFER); // decodes what was kept back
            channelReadComplete(ctx);
            return;
        }
        super.userEventTriggered(ctx, evt);
    }

    /**
     * Checks the first byte as soon as it arrives, as mosquitto does, so that a stream that is not MQTT (an HTTP
     * request, noise) is refused at once instead of waiting for the length its second byte seems to give.
     */
    private String fixedHeaderError(int b) {
        int type = b >> 4;
        int flags = b & 0x0F;
        if (first && b != 0x10) {
            return "first packet is not CONNECT (byte 0x" + Integer.toHexString(b) + ")" + notMqttHint(b)
                    + " [MQTT-3.1.0-1]";
        }
        switch (type) {
            case 0:
                return "packet type 0 is reserved [MQTT-2.2.1]";
            case 3:
                return (flags & 0x06) == 0x06 ? "PUBLISH with QoS 3 [MQTT-3.3.1-4]" : null;
            case 6:
            case 8:
            case 10:
                return flags == 0x02 ? null : "reserved flags of packet type " + type + " are not 0010 [MQTT-2.2.2-2]";
            default:
                return flags == 0 ? null : "reserved flags of packet type " + type + " are not 0 [MQTT-2.2.2-2]";
        }
    }

    /** What a wrong first byte most likely is: a client configured for another listener. */
    private static String notMqttHint(int b) {
        switch (b) {
            case 0x16: return ": a TLS handshake sent to a plain listener";
            case 'G': return ": an HTTP request (WebSocket client?) sent to an MQTT listener";
            default: return "";
        }
    }

    private void fail(ByteBuf in, Runnable report) {
        failed = true;
        in.skipBytes(in.readableBytes());
        report.run();
    }

    // ---- outbound: packets are encoded here, by Netty's stateless encoder; everything else passes ----

    @Override
    public void write(ChannelHandlerContext ctx, Object msg, ChannelPromise promise) throws Exception {
        MqttEncoder.INSTANCE.write(ctx, msg, promise);
    }

    @Override
    public void flush(ChannelHandlerContext ctx) {
        ctx.flush();
    }

    @Override
    public void read(ChannelHandlerContext ctx) {
        ctx.read();
    }

    @Override
    public void close(ChannelHandlerContext ctx, ChannelPromise promise) {
        ctx.close(promise);
    }

    @Override
    public void disconnect(ChannelHandlerContext ctx, ChannelPromise promise) {
        ctx.disconnect(promise);
    }

    @Override
    public void deregister(ChannelHandlerContext ctx, ChannelPromise promise) {
        ctx.deregister(promise);
    }

    @Override
    public void bind(ChannelHandlerContext ctx, SocketAddress local, ChannelPromise promise) {
        ctx.bind(local, promise);
    }

    @Override
    public void connect(ChannelHandlerContext ctx, SocketAddress remote, SocketAddress local,
                        ChannelPromise promise) {
        ctx.connect(remote, local, promise);
    }
}
