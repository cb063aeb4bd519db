package org.wrenmq.broker.transport;

import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import io.netty.handler.codec.DecoderException;
import io.netty.handler.codec.mqtt.MqttConnectMessage;
import io.netty.handler.codec.mqtt.MqttConnectPayload;
import io.netty.handler.codec.mqtt.MqttMessageFactory;
import io.netty.util.AttributeKey;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;

/**
 * Will topics of 32,768 to 65,535 bytes, which MQTT allows and Netty's {@code MqttDecoder} does not: it reads a
 * will topic with a limit of 32,767 bytes and hands over a CONNECT whose will topic is null (every other string
 * it reads up to 65,535). So the frame stage reads such a will topic from the CONNECT frame itself
 * ({@link #remember}) and the connect gate puts it into the decoded CONNECT ({@link #restore}).
 */
final class LongWillTopic {
    /** The longest will topic Netty's decoder returns. */
    static final int NETTY_MAX_WILL_TOPIC = 32_767;
    private static final AttributeKey<String> WILL_TOPIC = AttributeKey.valueOf(LongWillTopic.class, "willTopic");
    private static final int WILL_FLAG = 0x04;
    private static final int MQTT_5 = 5;

    private LongWillTopic() {
    }

    /**
     * Reads the will topic of the CONNECT in {@code frame[from, from + length)} (after the fixed header) when it
     * is longer than Netty reads and valid UTF-8. Anything malformed is left to the decoder to find.
     */
    static void remember(Channel channel, ByteBuf frame, int from, int length) {
        if (length <= NETTY_MAX_WILL_TOPIC) {
            return;
        }
        Cursor at = new Cursor(frame, from, from + length);
        at.skip(at.u16()); // protocol name
        int level = at.u8();
        int flags = at.u8();
        at.skip(2); // keep alive
        if (level == MQTT_5) {
            at.skip(at.variableByteInteger()); // properties
        }
        at.skip(at.u16()); // client id
        if ((flags & WILL_FLAG) == 0 || !at.ok()) {
            return;
        }
        if (level == MQTT_5) {
            at.skip(at.variableByteInteger()); // will properties
        }
        int topicLength = at.u16();
        if (topicLength > NETTY_MAX_WILL_TOPIC && at.ok() && at.fits(topicLength)) {
            String topic = strictUtf8(frame, at.index, topicLength);
            if (topic != null) {
                channel.attr(WILL_TOPIC).set(topic);
            }
        }
    }

    /**
     * The CONNECT with the will topic that Netty left out put back; a CONNECT whose long will topic is not valid
     * UTF-8 becomes a malformed packet [MQTT-1.5.4-1]. Any other message passes as it is.
     */
    static Object restore(Channel channel, Object msg) {
        if (!(msg instanceof MqttConnectMessage)) {
            return msg;
        }
        MqttConnectMessage connect = (MqttConnectMessage) msg;
        MqttConnectPayload p = connect.payload();
        if (connect.decoderResult().isFailure() || !connect.variableHeader().isWillFlag() || p.willTopic() != null) {
            return msg;
        }
        String topic = channel.attr(WILL_TOPIC).getAndSet(null);
        if (topic == null) {
            return MqttMessageFactory.newInvalidMessage(connect.fixedHeader(), connect.variableHeader(),
                    new DecoderException("will topic is not valid UTF-8 or contains U+0000 [MQTT-1.5.4-1]"));
        }
        return new MqttConnectMessage(connect.fixedHeader(), connect.variableHeader(),
                new MqttConnectPayload(p.clientIdentifier(), p.willProperties(), topic, p.willMessageInBytes(),
                        p.userName(), p.passwordInBytes()));
    }

    private static String strictUtf8(ByteBuf frame, int index, int length) {
        ByteBuffer bytes = frame.nioBuffer(index, length);
        try {
            String s = StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT).decode(bytes).toString();
            return s.indexOf('\u0000') >= 0 ? null : s;
        } catch (CharacterCodingException e) {
            return null;
        }
    }

    /** Reads a frame's fields without ever going past its end; past the end it only reports {@link #ok()} false. */
    private static final class Cursor {
        private final ByteBuf buf;
        private final int end;
        int index;

        Cursor(ByteBuf buf, int index, int end) {
            this.buf = buf;
            this.index = index;
            this.end = end;
        }

        boolean ok() {
            return index <= end;
        }

        boolean fits(int n) {
            return index + (long) n <= end;
        }

        int u8() {
            return fits(1) ? buf.getUnsignedByte(index++) : fail();
        }

        int u16() {
            return (u8() << 8) | u8();
        }

        int variableByteInteger() {
            int value = 0;
            for (int i = 0; i < 4; i++) {
                int digit = u8();
                value |= (digit & 0x7F) << (7 * i);
                if ((digit & 0x80) == 0) {
                    return value;
                }
            }
            return fail();
        }

        void skip(int n) {
            index = fits(n) ? index + n : end + 1;
        }

        private int fail() {
            index = end + 1;
            return 0;
        }
    }
}
