package org.wrenmq.broker.mqtt5;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;

import org.wrenmq.broker.testing.PacketType;
import org.wrenmq.broker.testing.ReceivedPacket;

/**
 * An MQTT 5 control packet as the broker sent it, read field by field on demand: reason code, properties, and for
 * PUBLISH the topic, packet id and payload.
 */
record Frame(int type, int flags, byte[] body) implements ReceivedPacket {

    /** CONNACK's session present flag. */
    boolean sessionPresent() {
        require(PacketType.CONNACK);
        return (body[0] & 0x01) != 0;
    }

    /**
     * The reason code of CONNACK, PUBACK, PUBREC, PUBREL, PUBCOMP, DISCONNECT or AUTH; 0 where the packet leaves
     * it out because it is Success [MQTT 5.0 section 3.4.2.1, 3.14.2.1].
     */
    int reasonCode() {
        return switch (type) {
            case PacketType.CONNACK -> body[1] & 0xFF;
            case PacketType.PUBACK, PacketType.PUBREC, PacketType.PUBREL, PacketType.PUBCOMP -> body.length > 2 ? body[2] & 0xFF : 0;
            case PacketType.DISCONNECT, PacketType.AUTH -> body.length > 0 ? body[0] & 0xFF : 0;
            default -> throw new AssertionError("no single reason code in " + this);
        };
    }

    /** SUBACK and UNSUBACK: one reason code per topic filter, in order. */
    int[] reasonCodes() {
        if (type != PacketType.SUBACK && type != PacketType.UNSUBACK) {
            throw new AssertionError("expected SUBACK or UNSUBACK but got " + this);
        }
        Reader r = new Reader(body, 2);
        r.properties();
        return toUnsigned(Arrays.copyOfRange(body, r.position, body.length));
    }

    Properties properties() {
        return switch (type) {
            case PacketType.CONNACK -> new Reader(body, 2).properties();
            case PacketType.PUBACK, PacketType.PUBREC, PacketType.PUBREL, PacketType.PUBCOMP ->
                    body.length > 3 ? new Reader(body, 3).properties() : Properties.none();
            case PacketType.DISCONNECT, PacketType.AUTH -> body.length > 1 ? new Reader(body, 1).properties() : Properties.none();
            case PacketType.SUBACK, PacketType.UNSUBACK -> new Reader(body, 2).properties();
            case PacketType.PUBLISH -> publishReader().properties();
            default -> Properties.none();
        };
    }

    /** Whether the broker said why, in a reason string. */
    boolean hasReasonString() {
        return properties().has(Property.REASON_STRING);
    }

    int packetId() {
        if (type == PacketType.PUBLISH) {
            Reader r = new Reader(body, 0);
            r.string();
            return r.u16();
        }
        return (body[0] & 0xFF) << 8 | body[1] & 0xFF;
    }

    String topic() {
        require(PacketType.PUBLISH);
        return new Reader(body, 0).string();
    }

    String payload() {
        Reader r = publishReader();
        r.properties();
        return new String(body, r.position, body.length - r.position, StandardCharsets.UTF_8);
    }

    int qos() {
        return flags >> 1 & 0x03;
    }

    boolean retain() {
        return (flags & 0x01) != 0;
    }

    boolean dup() {
        return (flags & 0x08) != 0;
    }

    /** A reader placed at the PUBLISH properties. */
    private Reader publishReader() {
        require(PacketType.PUBLISH);
        Reader r = new Reader(body, 0);
        r.string();
        if (qos() > 0) {
            r.u16();
        }
        return r;
    }

    private void require(int expected) {
        if (type != expected) {
            throw new AssertionError("expected packet type " + expected + " but got " + this);
        }
    }

    private static int[] toUnsigned(byte[] bytes) {
        int[] out = new int[bytes.length];
        for (int i = 0; i < bytes.length; i++) {
            out[i] = bytes[i] & 0xFF;
        }
        return out;
    }

    @Override
    public String toString() {
        String name = switch (type) {
            case PacketType.CONNACK -> "CONNACK";
            case PacketType.PUBLISH -> "PUBLISH";
            case PacketType.PUBACK -> "PUBACK";
            case PacketType.PUBREC -> "PUBREC";
            case PacketType.PUBREL -> "PUBREL";
            case PacketType.PUBCOMP -> "PUBCOMP";
            case PacketType.SUBACK -> "SUBACK";
            case PacketType.UNSUBACK -> "UNSUBACK";
            case PacketType.PINGRESP -> "PINGRESP";
            case PacketType.DISCONNECT -> "DISCONNECT";
            case PacketType.AUTH -> "AUTH";
            default -> "type " + type;
        };
        if (type == PacketType.PUBLISH) {
            return name + "[topic=" + topic() + ", qos=" + qos() + ", retain=" + retain() + ", dup=" + dup()
                    + ", props=" + properties() + ", payload=" + payload() + "]";
        }
        return name + "[flags=" + flags + ", body=" + Arrays.toString(body) + "]";
    }

    /** Reads the data types of 5.0 section 1.5 from a packet body. */
    static final class Reader {
        private final byte[] body;
        private int position;

        Reader(byte[] body, int position) {
            this.body = body;
            this.position = position;
        }

        int u8() {
            return body[position++] & 0xFF;
        }

        int u16() {
            return u8() << 8 | u8();
        }

        long u32() {
            return (long) u16() << 16 | u16();
        }

        long variableByteInteger() {
            long value = 0;
            for (int shift = 0; shift < 28; shift += 7) {
                int digit = u8();
                value |= (long) (digit & 0x7F) << shift;
                if ((digit & 0x80) == 0) {
                    return value;
                }
            }
            throw new AssertionError("variable byte integer longer than four bytes");
        }

        byte[] binary() {
            int length = u16();
            byte[] value = Arrays.copyOfRange(body, position, position + length);
            position += length;
            return value;
        }

        String string() {
            return new String(binary(), StandardCharsets.UTF_8);
        }

        Properties properties() {
            long length = variableByteInteger();
            int end = position + (int) length;
            Properties props = new Properties();
            while (position < end) {
                Property p = Property.byId((int) variableByteInteger());
                Object value = switch (p.kind) {
                    case BYTE -> (long) u8();
                    case TWO_BYTES -> (long) u16();
                    case FOUR_BYTES -> u32();
                    case VARIABLE_BYTE_INTEGER -> variableByteInteger();
                    case STRING -> string();
                    case BINARY -> binary();
                    case STRING_PAIR -> new String[] {string(), string()};
                };
                props.addEntry(new Properties.Entry(p, value));
            }
            return props;
        }
    }
}
