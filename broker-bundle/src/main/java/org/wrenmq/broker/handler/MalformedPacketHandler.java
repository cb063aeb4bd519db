package org.wrenmq.broker.handler;

import io.netty.handler.codec.mqtt.MqttConnectReturnCode;
import io.netty.handler.codec.mqtt.MqttConnectVariableHeader;
import io.netty.handler.codec.mqtt.MqttIdentifierRejectedException;
import io.netty.handler.codec.mqtt.MqttMessage;
import io.netty.handler.codec.mqtt.MqttReasonCodes;
import io.netty.handler.codec.mqtt.MqttUnacceptableProtocolVersionException;
import io.netty.handler.codec.mqtt.MqttVersion;

/**
 * A packet the decoder could not read. The decoder discards everything after it, so the connection is closed:
 * CONNACK with a return code where the spec gives one for a bad CONNECT, else an MQTT 5 DISCONNECT with 0x81
 * (malformed), or a plain close for MQTT 3.1/3.1.1 [MQTT-4.8.0-1]. Oversize packets never get here: the frame
 * decoder refuses them from their header.
 */
final class MalformedPacketHandler {
    private MalformedPacketHandler() {
    }

    static void handle(MqttConnectionHandler c, MqttMessage m) {
        Throwable cause = m.decoderResult().cause();
        if (m.variableHeader() instanceof MqttConnectVariableHeader) {
            MqttConnectVariableHeader h = (MqttConnectVariableHeader) m.variableHeader();
            c.version = h.version() == 5 ? MqttVersion.MQTT_5 : MqttVersion.MQTT_3_1_1;
        }
        boolean v5 = c.version == MqttVersion.MQTT_5;
        if (cause instanceof MqttUnacceptableProtocolVersionException) {
            c.version = MqttVersion.MQTT_3_1_1;
            ConnectHandler.refuse(c, MqttConnectReturnCode.CONNECTION_REFUSED_UNACCEPTABLE_PROTOCOL_VERSION,
                    "unacceptable protocol name or level: " + cause.getMessage() + " [MQTT-3.1.2-2]");
        } else if (cause instanceof MqttIdentifierRejectedException) {
            ConnectHandler.refuse(c, v5 ? MqttConnectReturnCode.CONNECTION_REFUSED_CLIENT_IDENTIFIER_NOT_VALID
                    : MqttConnectReturnCode.CONNECTION_REFUSED_IDENTIFIER_REJECTED, "client identifier rejected");
        } else {
            c.protocolError(MqttReasonCodes.Disconnect.MALFORMED_PACKET, "malformed packet: " + cause.getMessage());
        }
    }
}
