package org.wrenmq.broker.conformance;

import static org.assertj.core.api.Assertions.assertThat;

import org.wrenmq.broker.testing.PacketType;
import org.wrenmq.broker.testing.RawMqttClient;

/**
 * A raw MQTT 3.1 / 3.1.1 client: connects and subscribes with {@link Packets}, reads {@link Packet}s. Public, with
 * its packets, for the src-test modules (broker-bundle's test-jar), such as the kill -9 tests that stop a QoS 2
 * exchange half-way.
 */
public final class RawClient extends RawMqttClient<Packet, RawClient> {
    private RawClient(int port) {
        super(port, Packet::new);
    }

    public static RawClient open(int port) {
        return new RawClient(port);
    }

    /** Sends the CONNECT and returns the CONNACK, which must be the broker's first packet [MQTT-3.2.0-1]. */
    public Packet connect(Packets.Connect connect) {
        send(connect.bytes());
        return expect(PacketType.CONNACK);
    }

    /** Connects and asserts that the broker accepted the connection. */
    public RawClient connectAccepted(Packets.Connect connect) {
        assertThat(connect(connect).connackReturnCode()).as("CONNACK return code").isZero();
        return this;
    }

    /** Subscribes with packet identifier 1 and asserts the SUBACK grants the requested QoS. */
    public RawClient subscribe(String filter, int qos) {
        send(Packets.subscribe(1, filter, qos));
        Packet suback = expect(PacketType.SUBACK);
        assertThat(suback.subackReturnCodes()).as("SUBACK for %s", filter).containsExactly(qos);
        return this;
    }

    /** Plays the receiver's side of the QoS 2 flow for the PUBLISH: PUBREC, the broker's PUBREL, then PUBCOMP. */
    public RawClient completeQos2Receipt(Packet publish) {
        send(Packets.pubrec(publish.packetId()));
        expect(PacketType.PUBREL);
        return send(Packets.pubcomp(publish.packetId()));
    }
}
