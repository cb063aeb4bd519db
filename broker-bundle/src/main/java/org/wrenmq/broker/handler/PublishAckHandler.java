package org.wrenmq.broker.handler;

import io.netty.handler.codec.mqtt.MqttMessage;
import io.netty.handler.codec.mqtt.MqttMessageIdVariableHeader;
import io.netty.handler.codec.mqtt.MqttPubReplyMessageVariableHeader;
import io.netty.handler.codec.mqtt.MqttReasonCodes;
import io.netty.handler.codec.mqtt.MqttVersion;
import org.wrenmq.broker.session.Session;

/**
 * The acknowledgements of the QoS 1 and QoS 2 flows: PUBACK, PUBREC and PUBCOMP for messages we sent, PUBREL for
 * a QoS 2 message we received (answered by PUBCOMP, which ends the exchange [MQTT-4.3.3-11]).
 */
final class PublishAckHandler {
    private static final byte PACKET_ID_NOT_FOUND = MqttReasonCodes.PubComp.PACKET_IDENTIFIER_NOT_FOUND.byteValue();

    private PublishAckHandler() {
    }

    static void handle(MqttConnectionHandler c, MqttMessage m) {
        int packetId = ((MqttMessageIdVariableHeader) m.variableHeader()).messageId();
        byte reason = m.variableHeader() instanceof MqttPubReplyMessageVariableHeader
                ? ((MqttPubReplyMessageVariableHeader) m.variableHeader()).reasonCode() : 0;
        boolean v5 = c.version == MqttVersion.MQTT_5;
        Session s = c.session;
        switch (m.fixedHeader().messageType()) {
            case PUBACK:
                s.execute(() -> s.onPubAck(packetId));
                break;
            case PUBREC:
                s.execute(() -> {
                    if ((reason & 0x80) != 0) {
                        s.onPubRecFailed(packetId);
                    } else if (!s.onPubRec(packetId)) {
                        c.send(Packets.pubRel(packetId, v5 ? PACKET_ID_NOT_FOUND : 0));
                    }
                });
                break;
            case PUBREL:
                s.execute(() -> {
                    boolean known = s.releaseIncomingQos2(packetId);
                    PublishHandler.acknowledge(c, known && s.isPersistent(),
                            Packets.pubComp(packetId, known || !v5 ? 0 : PACKET_ID_NOT_FOUND));
                });
                break;
            default:
                s.execute(() -> s.onPubComp(packetId));
        }
    }
}
