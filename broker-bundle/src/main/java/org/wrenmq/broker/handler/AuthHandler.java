package org.wrenmq.broker.handler;

import io.netty.handler.codec.mqtt.MqttMessage;
import io.netty.handler.codec.mqtt.MqttReasonCodes;

/**
 * AUTH (MQTT 5 enhanced authentication). No authentication method is configured, so a client never started an
 * exchange (CONNECT with a method is refused with 0x8C): an AUTH packet is a protocol error [MQTT-4.12.0-1].
 */
final class AuthHandler {
    private AuthHandler() {
    }

    static void handle(MqttConnectionHandler c, MqttMessage m) {
        c.protocolError(MqttReasonCodes.Disconnect.PROTOCOL_ERROR,
                "AUTH without an authentication method in CONNECT [MQTT-4.12.0-1]");
    }
}
