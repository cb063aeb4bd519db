package org.wrenmq.broker.session;

import org.wrenmq.broker.routing.Delivery;

/**
 * A QoS 1/2 message sent to the client and not yet fully acknowledged. {@code released} is set once the client's
 * PUBREC came and our PUBREL went out: from then on only the PUBREL is resent, never the message [MQTT-4.3.3-4].
 */
final class InflightMessage {
    final int packetId;
    final Delivery delivery;
    boolean released;

    InflightMessage(int packetId, Delivery delivery) {
        this.packetId = packetId;
        this.delivery = delivery;
    }
}
