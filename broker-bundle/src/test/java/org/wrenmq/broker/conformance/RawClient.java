package org.wrenmq.broker.conformance;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.DataInputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.Socket;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.time.Duration;
import java.util.Optional;

/**
 * A bare TCP client that writes hand-made packets and reads the broker's packets one by one: for what a client
 * library cannot do, such as breaking the protocol or never acknowledging a message.
 */
final class RawClient implements AutoCloseable {
    /** How long to wait for a packet the broker must send. */
    static final Duration PATIENCE = Duration.ofSeconds(5);

    private final Socket socket;
    private final DataInputStream in;
    private final OutputStream out;

    private RawClient(Socket socket) throws IOException {
        this.socket = socket;
        this.in = new DataInputStream(socket.getInputStream());
        this.out = socket.getOutputStream();
    }

    static RawClient open(int port) {
        try {
            Socket socket = new Socket("127.0.0.1", port);
            socket.setTcpNoDelay(true);
            return new RawClient(socket);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    RawClient send(byte[]... packets) {
        try {
            for (byte[] packet : packets) {
                out.write(packet);
            }
            out.flush();
            return this;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Sends the CONNECT and returns the CONNACK, which must be the broker's first packet [MQTT-3.2.0-1]. */
    Packet connect(Packets.Connect connect) {
        send(connect.bytes());
        return expect(Packets.CONNACK);
    }

    /** Connects and asserts that the broker accepted the connection. */
    RawClient connectAccepted(Packets.Connect connect) {
        assertThat(connect(connect).connackReturnCode()).as("CONNACK return code").isZero();
        return this;
    }

    /** Subscribes with packet identifier 1 and asserts the SUBACK grants the requested QoS. */
    RawClient subscribe(String filter, int qos) {
        send(Packets.subscribe(1, filter, qos));
        Packet suback = expect(Packets.SUBACK);
        assertThat(suback.subackReturnCodes()).as("SUBACK for %s", filter).containsExactly(qos);
        return this;
    }

    /** The next packet, which must be of the given type. */
    Packet expect(int type) {
        Packet packet = poll(PATIENCE).orElseThrow(
                () -> new AssertionError("no packet of type " + type + " within " + PATIENCE));
        assertThat(packet.type()).as("type of %s", packet).isEqualTo(type);
        return packet;
    }

    /** The next packet if one arrives within the wait; fails if the broker closes the connection instead. */
    Optional<Packet> poll(Duration wait) {
        try {
            socket.setSoTimeout(Math.max(1, (int) wait.toMillis()));
            int first;
            try {
                first = in.read();
            } catch (SocketTimeoutException e) {
                return Optional.empty();
            }
            if (first < 0) {
                throw new AssertionError("the broker closed the connection");
            }
            return Optional.of(readRest(first));
        } catch (IOException e) {
            throw new AssertionError("reading from the broker failed", e);
        }
    }

    /** The broker's next packet, or empty when it closes the connection instead; fails when neither happens in time. */
    Optional<Packet> nextUnlessClosed() {
        try {
            socket.setSoTimeout((int) PATIENCE.toMillis());
            int first = in.read();
            return first < 0 ? Optional.empty() : Optional.of(readRest(first));
        } catch (SocketTimeoutException e) {
            throw new AssertionError("the broker neither answered nor closed within " + PATIENCE);
        } catch (SocketException e) {
            return Optional.empty(); // reset by the broker
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private Packet readRest(int first) throws IOException {
        socket.setSoTimeout((int) PATIENCE.toMillis());
        byte[] body = new byte[readRemainingLength()];
        in.readFully(body);
        return new Packet(first >> 4, first & 0x0F, body);
    }

    /** Asserts that no packet arrives within the wait (the connection may stay open). */
    void expectNothingFor(Duration wait) {
        assertThat(poll(wait)).as("packet from the broker").isEmpty();
    }

    /**
     * Whether the broker closes the connection within the wait. Packets it sends before closing (such as a CONNACK
     * with an error code) are skipped.
     */
    boolean closedByBroker(Duration wait) {
        long deadline = System.nanoTime() + wait.toNanos();
        byte[] sink = new byte[4096];
        try {
            while (true) {
                long left = Duration.ofNanos(deadline - System.nanoTime()).toMillis();
                if (left <= 0) {
                    return false;
                }
                socket.setSoTimeout((int) left);
                if (in.read(sink) < 0) {
                    return true;
                }
            }
        } catch (SocketTimeoutException e) {
            return false;
        } catch (SocketException e) {
            return true; // reset by the broker
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    void expectClosedByBroker() {
        assertThat(closedByBroker(PATIENCE)).as("the broker closes the connection").isTrue();
    }

    private int readRemainingLength() throws IOException {
        int value = 0;
        for (int i = 0; i < 4; i++) {
            int digit = in.readUnsignedByte();
            value |= (digit & 0x7F) << (7 * i);
            if ((digit & 0x80) == 0) {
                return value;
            }
        }
        throw new AssertionError("the broker sent a remaining length longer than four bytes");
    }

    @Override
    public void close() {
        try {
            socket.close();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
