package org.wrenmq.broker.mqtt5;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.Optional;

import org.wrenmq.broker.testing.PacketType;
import org.wrenmq.broker.testing.RawMqttClient;

/**
 * A raw MQTT 5 client: writes {@link Wire} packets and reads the broker's packets one by one as {@link Frame}s, so
 * a test sees every reason code and property exactly as sent.
 */
final class RawClient5 extends RawMqttClient<Frame, RawClient5> {
    private RawClient5(int port) {
        super(port, Frame::new);
    }

    static RawClient5 open(int port) {
        return new RawClient5(port);
    }

    /** Sends the CONNECT and returns the CONNACK, the broker's first packet [MQTT-3.2.0-1]. */
    Frame connect(Wire.Connect connect) {
        send(connect.bytes());
        return expect(PacketType.CONNACK);
    }

    RawClient5 connectAccepted(Wire.Connect connect) {
        Frame connack = connect(connect);
        assertThat(connack.reasonCode()).as("CONNACK reason code of %s", connack).isZero();
        return this;
    }

    /** Subscribes with the options byte and asserts the SUBACK grants the QoS of those options. */
    RawClient5 subscribe(int packetId, String filter, int options, Properties props) {
        send(Wire.subscribe(packetId, filter, options, props));
        Frame suback = expect(PacketType.SUBACK);
        assertThat(suback.reasonCodes()).as("SUBACK for %s", filter).containsExactly(options & 0x03);
        return this;
    }

    RawClient5 subscribe(String filter, int qos) {
        return subscribe(1, filter, qos, Properties.none());
    }

    /**
     * The DISCONNECT the broker sends before closing [MQTT-4.13.2-1], followed by an orderly end of stream;
     * packets before it (e.g. publications in flight) are skipped. Fails if the broker closes without one, resets
     * the connection, or does nothing within {@code wait}.
     */
    Frame expectDisconnect(Duration wait) {
        long deadline = System.nanoTime() + wait.toNanos();
        while (System.nanoTime() < deadline) {
            Optional<Frame> f = nextUnlessClosed(Duration.ofNanos(deadline - System.nanoTime()));
            if (f.isEmpty()) {
                throw new AssertionError("the broker closed the connection without a DISCONNECT");
            }
            if (f.get().type() == PacketType.DISCONNECT) {
                expectEndOfStream(); // nothing after DISCONNECT [MQTT-3.14.4-1], and no reset that could lose it
                return f.get();
            }
        }
        throw new AssertionError("no DISCONNECT from the broker within " + wait);
    }

    Frame expectDisconnect() {
        return expectDisconnect(PATIENCE);
    }
}
