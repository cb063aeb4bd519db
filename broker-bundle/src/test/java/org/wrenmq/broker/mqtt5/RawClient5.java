package org.wrenmq.broker.mqtt5;

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
 * A bare TCP MQTT 5 client: writes {@link Wire} packets and reads the broker's packets one by one as
 * {@link Frame}s, so a test sees every reason code and property exactly as sent.
 */
final class RawClient5 implements AutoCloseable {
    /** How long to wait for a packet the broker must send. */
    static final Duration PATIENCE = Duration.ofSeconds(5);

    private final Socket socket;
    private final DataInputStream in;
    private final OutputStream out;

    private RawClient5(Socket socket) throws IOException {
        this.socket = socket;
        this.in = new DataInputStream(socket.getInputStream());
        this.out = socket.getOutputStream();
    }

    static RawClient5 open(int port) {
        try {
            Socket socket = new Socket("127.0.0.1", port);
            socket.setTcpNoDelay(true);
            return new RawClient5(socket);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    RawClient5 send(byte[]... packets) {
        try {
            for (byte[] p : packets) {
                out.write(p);
            }
            out.flush();
            return this;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Sends the CONNECT and returns the CONNACK, the broker's first packet [MQTT-3.2.0-1]. */
    Frame connect(Wire.Connect connect) {
        send(connect.bytes());
        return expect(Wire.CONNACK);
    }

    RawClient5 connectAccepted(Wire.Connect connect) {
        Frame connack = connect(connect);
        assertThat(connack.reasonCode()).as("CONNACK reason code of %s", connack).isZero();
        return this;
    }

    /** Subscribes with the options byte and asserts the SUBACK grants the QoS of those options. */
    RawClient5 subscribe(int packetId, String filter, int options, Properties props) {
        send(Wire.subscribe(packetId, filter, options, props));
        Frame suback = expect(Wire.SUBACK);
        assertThat(suback.reasonCodes()).as("SUBACK for %s", filter).containsExactly(options & 0x03);
        return this;
    }

    RawClient5 subscribe(String filter, int qos) {
        return subscribe(1, filter, qos, Properties.none());
    }

    /** The next packet, which must be of the given type. */
    Frame expect(int type) {
        Frame f = poll(PATIENCE).orElseThrow(
                () -> new AssertionError("no packet of type " + type + " within " + PATIENCE));
        assertThat(f.type()).as("type of %s", f).isEqualTo(type);
        return f;
    }

    /** The next packet if one arrives within the wait; fails if the broker closes the connection instead. */
    Optional<Frame> poll(Duration wait) {
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

    /** Asserts that no packet arrives within the wait. */
    void expectNothingFor(Duration wait) {
        assertThat(poll(wait)).as("packet from the broker").isEmpty();
    }

    /**
     * The DISCONNECT the broker sends before closing [MQTT-4.13.2-1]; packets before it (e.g. publications in
     * flight) are skipped. Fails if the broker closes without one or does nothing within {@code wait}.
     */
    Frame expectDisconnect(Duration wait) {
        long deadline = System.nanoTime() + wait.toNanos();
        while (System.nanoTime() < deadline) {
            Optional<Frame> f = nextUnlessClosed(Duration.ofNanos(deadline - System.nanoTime()));
            if (f.isEmpty()) {
                throw new AssertionError("the broker closed the connection without a DISCONNECT");
            }
            if (f.get().type() == Wire.DISCONNECT) {
                assertThat(nextUnlessClosed(PATIENCE)).as("packet after DISCONNECT [MQTT-3.14.4-1]").isEmpty();
                return f.get();
            }
        }
        throw new AssertionError("no DISCONNECT from the broker within " + wait);
    }

    Frame expectDisconnect() {
        return expectDisconnect(PATIENCE);
    }

    /** The broker's next packet, or empty when it closes the connection; fails when neither happens in time. */
    Optional<Frame> nextUnlessClosed(Duration wait) {
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

    private Frame readRest(int first) throws IOException {
        socket.setSoTimeout((int) PATIENCE.toMillis());
        long length = 0;
        for (int shift = 0; ; shift += 7) {
            if (shift > 21) {
                throw new AssertionError("the broker sent a remaining length longer than four bytes");
            }
            int digit = in.readUnsignedByte();
            length |= (long) (digit & 0x7F) << shift;
            if ((digit & 0x80) == 0) {
                break;
            }
        }
        byte[] body = new byte[(int) length];
        in.readFully(body);
        return new Frame(first >> 4, first & 0x0F, body);
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
