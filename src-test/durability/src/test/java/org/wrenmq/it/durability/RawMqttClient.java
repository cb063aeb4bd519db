package org.wrenmq.it.durability;

import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;

/**
 * MQTT 3.1.1 over a plain socket, packet by packet: what Paho does not let a test do, such as stopping a QoS 2
 * exchange after PUBREC and resending the PUBLISH with DUP and the same packet id on a new connection.
 */
final class RawMqttClient implements AutoCloseable {
    static final int CONNACK = 2;
    static final int PUBLISH = 3;
    static final int PUBREC = 5;
    static final int PUBREL = 6;
    static final int PUBCOMP = 7;
    static final int SUBACK = 9;

    /** One packet read: its type (high nibble), flags (low nibble) and variable header + payload. */
    record Packet(int type, int flags, byte[] body) {
        /** The packet id of PUBACK/PUBREC/PUBREL/PUBCOMP/SUBACK, or of a QoS 1/2 PUBLISH. */
        int packetId() {
            int at = type == PUBLISH ? 2 + topicLength() : 0;
            return ((body[at] & 0xff) << 8) | (body[at + 1] & 0xff);
        }

        boolean dup() {
            return (flags & 0x08) != 0;
        }

        /** The payload of a QoS 1/2 PUBLISH. */
        String payload() {
            int at = 2 + topicLength() + 2;
            return new String(body, at, body.length - at, StandardCharsets.UTF_8);
        }

        private int topicLength() {
            return ((body[0] & 0xff) << 8) | (body[1] & 0xff);
        }
    }

    private final Socket socket;
    private final OutputStream out;
    private final DataInputStream in;

    RawMqttClient(int port) throws IOException {
        socket = new Socket(InetAddress.getLoopbackAddress(), port);
        socket.setSoTimeout(10_000);
        out = socket.getOutputStream();
        in = new DataInputStream(socket.getInputStream());
    }

    /** CONNECT with MQTT 3.1.1; returns the CONNACK (body: session present flag, return code). */
    Packet connect(String clientId, boolean cleanSession) throws IOException {
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        writeString(body, "MQTT");
        body.write(4);
        body.write(cleanSession ? 0x02 : 0x00);
        body.write(0);
        body.write(60);
        writeString(body, clientId);
        send(0x10, body);
        return read();
    }

    void publishQos2(String topic, String payload, int packetId, boolean dup) throws IOException {
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        writeString(body, topic);
        writeId(body, packetId);
        body.writeBytes(payload.getBytes(StandardCharsets.UTF_8));
        send(0x30 | (dup ? 0x08 : 0) | (2 << 1), body);
    }

    void subscribe(String filter, int qos, int packetId) throws IOException {
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        writeId(body, packetId);
        writeString(body, filter);
        body.write(qos);
        send(0x82, body);
    }

    void pubRec(int packetId) throws IOException {
        sendId(0x50, packetId);
    }

    void pubRel(int packetId) throws IOException {
        sendId(0x62, packetId);
    }

    void pubComp(int packetId) throws IOException {
        sendId(0x70, packetId);
    }

    /** Sets how long {@link #read} waits for a packet. */
    void readTimeout(int millis) throws IOException {
        socket.setSoTimeout(millis);
    }

    private void sendId(int firstByte, int packetId) throws IOException {
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        writeId(body, packetId);
        send(firstByte, body);
    }

    Packet read() throws IOException {
        int first = in.read();
        if (first < 0) {
            throw new EOFException("connection closed by the broker");
        }
        int length = 0;
        for (int shift = 0; ; shift += 7) {
            int b = in.readUnsignedByte();
            length |= (b & 0x7f) << shift;
            if ((b & 0x80) == 0) {
                break;
            }
        }
        byte[] body = new byte[length];
        in.readFully(body);
        return new Packet(first >> 4, first & 0x0f, body);
    }

    @Override
    public void close() throws IOException {
        socket.close();
    }

    private void send(int firstByte, ByteArrayOutputStream body) throws IOException {
        ByteArrayOutputStream packet = new ByteArrayOutputStream();
        packet.write(firstByte);
        int length = body.size();
        do {
            int digit = length % 128;
            length /= 128;
            packet.write(length > 0 ? digit | 0x80 : digit);
        } while (length > 0);
        body.writeTo(packet);
        out.write(packet.toByteArray());
        out.flush();
    }

    private static void writeString(ByteArrayOutputStream out, String s) {
        byte[] bytes = s.getBytes(StandardCharsets.UTF_8);
        writeId(out, bytes.length);
        out.writeBytes(bytes);
    }

    private static void writeId(ByteArrayOutputStream out, int value) {
        out.write(value >> 8);
        out.write(value & 0xff);
    }
}
