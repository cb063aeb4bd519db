package org.wrenmq.broker.conformance;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.stream.IntStream;

import org.wrenmq.broker.testing.PacketType;
import org.wrenmq.broker.testing.ReceivedPacket;

/** A control packet as the broker sent it: packet type, the four flag bits of the first byte, and the body. */
public record Packet(int type, int flags, byte[] body) implements ReceivedPacket {

    public int u16(int offset) {
        return (body[offset] & 0xFF) << 8 | body[offset + 1] & 0xFF;
    }

    public boolean sessionPresent() {
        requireType(PacketType.CONNACK);
        return (body[0] & 0x01) != 0;
    }

    public int connackReturnCode() {
        requireType(PacketType.CONNACK);
        return body[1] & 0xFF;
    }

    /** The packet identifier of an acknowledgement, a SUBACK/UNSUBACK or a QoS 1/2 PUBLISH. */
    public int packetId() {
        return type == PacketType.PUBLISH ? u16(2 + topicLength()) : u16(0);
    }

    public int[] subackReturnCodes() {
        requireType(PacketType.SUBACK);
        return IntStream.range(2, body.length).map(i -> body[i] & 0xFF).toArray();
    }

    public String topic() {
        requireType(PacketType.PUBLISH);
        return new String(body, 2, topicLength(), StandardCharsets.UTF_8);
    }

    public String payload() {
        requireType(PacketType.PUBLISH);
        int start = 2 + topicLength() + (qos() > 0 ? 2 : 0);
        return new String(body, start, body.length - start, StandardCharsets.UTF_8);
    }

    public int qos() {
        return flags >> 1 & 0x03;
    }

    public boolean dup() {
        return (flags & 0x08) != 0;
    }

    public boolean retain() {
        return (flags & 0x01) != 0;
    }

    private int topicLength() {
        return u16(0);
    }

    private void requireType(int expected) {
        if (type != expected) {
            throw new AssertionError("expected packet type " + expected + " but got " + this);
        }
    }

    @Override
    public String toString() {
        String base = "Packet[type=" + type + ", flags=" + Integer.toBinaryString(flags);
        if (type == PacketType.PUBLISH) {
            return base + ", topic=" + topic() + ", qos=" + qos() + ", dup=" + dup() + ", retain=" + retain()
                    + (qos() > 0 ? ", id=" + packetId() : "") + ", payload=" + payload() + "]";
        }
        return base + ", body=" + Arrays.toString(body) + "]";
    }
}
