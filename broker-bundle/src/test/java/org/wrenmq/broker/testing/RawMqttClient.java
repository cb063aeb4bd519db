package org.wrenmq.broker.testing;

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
 * library cannot do, such as breaking the protocol or never acknowledging a message. The fixed header is the same
 * in every protocol version; a subclass decodes the packets ({@code P}) and connects for its version, and is
 * {@code C}, so that calls chain.
 */
public abstract class RawMqttClient<P extends ReceivedPacket, C extends RawMqttClient<P, C>> implements AutoCloseable {
    /** How long to wait for a packet the broker must send. */
    public static final Duration PATIENCE = Duration.ofSeconds(5);

    private final Socket socket;
    private final DataInputStream in;
    private final OutputStream out;
    private final ReceivedPacket.Decoder<P> decoder;

    protected RawMqttClient(int port, ReceivedPacket.Decoder<P> decoder) {
        this.decoder = decoder;
        try {
            socket = new Socket("127.0.0.1", port);
            socket.setTcpNoDelay(true);
            in = new DataInputStream(socket.getInputStream());
            out = socket.getOutputStream();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @SuppressWarnings("unchecked")
    private C self() {
        return (C) this;
    }

    public C send(byte[]... packets) {
        try {
            for (byte[] packet : packets) {
                out.write(packet);
            }
            out.flush();
            return self();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The next packet, which must be of the given type. */
    public P expect(int type) {
        P packet = poll(PATIENCE).orElseThrow(
                () -> new AssertionError("no packet of type " + type + " within " + PATIENCE));
        assertThat(packet.type()).as("type of %s", packet).isEqualTo(type);
        return packet;
    }

    /** The next packet if one arrives within the wait; fails if the broker closes the connection instead. */
    public Optional<P> poll(Duration wait) {
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

    /** Asserts that no packet arrives within the wait (the connection may stay open). */
    public void expectNothingFor(Duration wait) {
        assertThat(poll(wait)).as("packet from the broker").isEmpty();
    }

    /** The broker's next packet, or empty when it closes the connection; fails when neither happens in time. */
    public Optional<P> nextUnlessClosed(Duration wait) {
        try {
            socket.setSoTimeout(Math.max(1, (int) wait.toMillis()));
            int first = in.read();
            return first < 0 ? Optional.empty() : Optional.of(readRest(first));
        } catch (SocketTimeoutException e) {
            throw new AssertionError("the broker neither sent a packet nor closed within " + wait);
        } catch (SocketException e) {
            return Optional.empty(); // reset by the broker
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public Optional<P> nextUnlessClosed() {
        return nextUnlessClosed(PATIENCE);
    }

    /**
     * Whether the broker closes the connection within the wait. Packets it sends before closing (such as a CONNACK
     * with an error code) are skipped.
     */
    public boolean closedByBroker(Duration wait) {
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

    /**
     * Asserts that the broker's next event is an orderly end of the stream (its FIN): no further packet, and no
     * reset, which could have destroyed what it sent last.
     */
    public void expectEndOfStream() {
        try {
            socket.setSoTimeout((int) PATIENCE.toMillis());
            int next = in.read();
            assertThat(next).as("end of stream after the broker's last packet (a byte means another packet)")
                    .isEqualTo(-1);
        } catch (SocketTimeoutException e) {
            throw new AssertionError("the broker did not close within " + PATIENCE, e);
        } catch (SocketException e) {
            throw new AssertionError("the broker reset the connection instead of closing it: " + e.getMessage(), e);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public void expectClosedByBroker() {
        assertThat(closedByBroker(PATIENCE)).as("the broker closes the connection").isTrue();
    }

    private P readRest(int first) throws IOException {
        socket.setSoTimeout((int) PATIENCE.toMillis());
        byte[] body = new byte[readRemainingLength()];
        in.readFully(body);
        return decoder.decode(first >> 4, first & 0x0F, body);
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
