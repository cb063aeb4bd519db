package org.wrenmq.broker.standalone;

import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;

/**
 * A minimal MQTT 3.1.1 client on a blocking socket for {@link StartupWarmUp}: one packet per write, as devices and
 * Paho send them. Plain {@code java.net} on purpose: a Netty client in the broker's JVM would teach the JIT
 * compiler call sites the broker never sees.
 */
final class WarmUpClient implements AutoCloseable {
    static final int CONNECT = 1;
    static final int PUBLISH = 3;
    static final int PUBACK = 4;
    static final int PUBREC = 5;
    static final int PUBREL = 6;
    static final int PUBCOMP = 7;
    private static final int READ_TIMEOUT_MS = 2_000;

    private final Socket socket;
    private final OutputStream out;
    private final InputStream in;
    private final ByteArrayOutputStream packet = new ByteArrayOutputStream(512);
    /** The last packet read: its type (high nibble of the first byte), packet id and QoS for a PUBLISH. */
    private int type;
    private int packetId;
    private int qos;

    WarmUpClient(InetSocketAddress broker, String clientId) throws IOException {
        socket = new Socket();
        socket.setTcpNoDelay(true);
        socket.setSoTimeout(READ_TIMEOUT_MS);
        socket.connect(broker, READ_TIMEOUT_MS);
        out = socket.getOutputStream();
        in = new BufferedInputStream(socket.getInputStream());
        byte[] id = clientId.getBytes(StandardCharsets.UTF_8);
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        body.write(new byte[] {0, 4, 'M', 'Q', 'T', 'T', 4, 2, 0, 60}); // 3.1.1, clean session, keepalive 60 s
        string(body, id);
        send(CONNECT << 4, body.toByteArray());
        expect(2); // CONNACK
    }

    void subscribe(String filter, int requestedQos) throws IOException {
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        body.write(new byte[] {0, 1});
        string(body, filter.getBytes(StandardCharsets.UTF_8));
        body.write(requestedQos);
        send(0x82, body.toByteArray());
        expect(9); // SUBACK
    }

    void publish(byte[] topic, int publishQos, int id, byte[] payload) throws IOException {
        ByteArrayOutputStream body = new ByteArrayOutputStream(topic.length + payload.length + 4);
        string(body, topic);
        if (publishQos > 0) {
            body.write(id >> 8);
            body.write(id);
        }
        body.write(payload);
        send(PUBLISH << 4 | publishQos << 1, body.toByteArray());
    }

    /** PUBACK, PUBREC, PUBREL (with its reserved flags) or PUBCOMP for a packet id. */
    void acknowledge(int ackType, int id) throws IOException {
        send(ackType << 4 | (ackType == PUBREL ? 2 : 0), new byte[] {(byte) (id >> 8), (byte) id});
    }

    /** Reads the next packet; its type, id and QoS are then in {@link #type()}, {@link #packetId()}, {@link #qos()}. */
    void read() throws IOException {
        int first = in.read();
        if (first < 0) {
            throw new EOFException("the warm-up broker closed the connection");
        }
        int length = 0;
        for (int shift = 0, b = 0x80; (b & 0x80) != 0; shift += 7) {
            b = in.read();
            if (b < 0) {
                throw new EOFException("the warm-up broker closed the connection");
            }
            length |= (b & 0x7f) << shift;
        }
        byte[] body = in.readNBytes(length);
        type = first >> 4;
        qos = (first >> 1) & 3;
        packetId = 0;
        if (type == PUBLISH && qos > 0) {
            int topicLength = (body[0] & 0xff) << 8 | body[1] & 0xff;
            packetId = (body[2 + topicLength] & 0xff) << 8 | body[3 + topicLength] & 0xff;
        } else if (type >= PUBACK && type <= PUBCOMP) {
            packetId = (body[0] & 0xff) << 8 | body[1] & 0xff;
        }
    }

    void soTimeout(int millis) throws IOException {
        socket.setSoTimeout(millis);
    }

    int type() {
        return type;
    }

    int packetId() {
        return packetId;
    }

    int qos() {
        return qos;
    }

    @Override
    public void close() {
        try {
            send(0xE0, new byte[0]); // DISCONNECT
        } catch (IOException e) {
            // closing anyway
        }
        try {
            socket.close();
        } catch (IOException e) {
            // nothing left to do
        }
    }

    private void expect(int wanted) throws IOException {
        read();
        if (type != wanted) {
            throw new IOException("the warm-up broker answered packet type " + type + " instead of " + wanted);
        }
    }

    /** One write per packet, as a device sends it. */
    private void send(int firstByte, byte[] body) throws IOException {
        packet.reset();
        packet.write(firstByte);
        int length = body.length;
        do {
            int digit = length & 0x7f;
            length >>>= 7;
            packet.write(length > 0 ? digit | 0x80 : digit);
        } while (length > 0);
        packet.write(body);
        packet.writeTo(out);
        out.flush();
    }

    private static void string(ByteArrayOutputStream to, byte[] utf8) {
        to.write(utf8.length >> 8);
        to.write(utf8.length);
        to.write(utf8, 0, utf8.length);
    }
}
