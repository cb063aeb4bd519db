package org.wrenmq.broker.testing;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;

/**
 * The variable header and payload of a hand-made control packet, written field by field in the data types that
 * MQTT 3.1.1 and 5 share (MQTT 5.0 section 1.5), and the framing that puts a fixed header in front.
 */
public final class PacketBody {
    private final ByteArrayOutputStream out = new ByteArrayOutputStream();

    public PacketBody u8(int value) {
        out.write(value);
        return this;
    }

    public PacketBody u16(int value) {
        out.write(value >> 8);
        out.write(value);
        return this;
    }

    public PacketBody u32(long value) {
        return u16((int) (value >> 16) & 0xFFFF).u16((int) value & 0xFFFF);
    }

    public PacketBody variableByteInteger(long value) {
        long rest = value;
        do {
            int digit = (int) (rest % 128);
            rest /= 128;
            out.write(rest > 0 ? digit | 0x80 : digit);
        } while (rest > 0);
        return this;
    }

    /** A length-prefixed UTF-8 string. */
    public PacketBody string(String value) {
        return binary(value.getBytes(StandardCharsets.UTF_8));
    }

    /** Length-prefixed bytes: binary data, or a string given as raw bytes that may be anything but valid UTF-8. */
    public PacketBody binary(byte[] value) {
        return u16(value.length).bytes(value);
    }

    public PacketBody bytes(byte[] value) {
        out.writeBytes(value);
        return this;
    }

    public byte[] toByteArray() {
        return out.toByteArray();
    }

    /** This body as a whole packet behind the given first byte (type and flags). */
    public byte[] packet(int firstByte) {
        return packet(firstByte, toByteArray());
    }

    /** Any packet: the first byte as given, then the remaining length and the body. */
    public static byte[] packet(int firstByte, byte[] body) {
        return new PacketBody().u8(firstByte).variableByteInteger(body.length).bytes(body).toByteArray();
    }
}
