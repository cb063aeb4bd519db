package org.wrenmq.broker.handler;

import io.netty.handler.codec.mqtt.MqttMessage;
import io.netty.handler.codec.mqtt.MqttProperties.MqttPropertyType;
import io.netty.handler.codec.mqtt.MqttReasonCodeAndPropertiesVariableHeader;
import io.netty.handler.codec.mqtt.MqttReasonCodes;
import org.wrenmq.broker.session.Session;

/**
 * DISCONNECT from the client: a normal end discards the will [MQTT-3.14.4-3]; MQTT 5's reason 0x04 keeps it, and
 * the session expiry interval may be changed here, though not from 0 to more [MQTT-3.14.2-2].
 */
final class DisconnectHandler {
    private DisconnectHandler() {
    }

    static void handle(MqttConnectionHandler c, MqttMessage m) {
        byte reason = 0;
        if (m.variableHeader() instanceof MqttReasonCodeAndPropertiesVariableHeader) {
            MqttReasonCodeAndPropertiesVariableHeader h = (MqttReasonCodeAndPropertiesVariableHeader) m.variableHeader();
            reason = h.reasonCode();
            long expiry = Props.unsigned(h.properties(), MqttPropertyType.SESSION_EXPIRY_INTERVAL, -1);
            if (expiry >= 0) {
                Session s = c.session;
                if (!s.isPersistent() && expiry > 0) {
                    c.protocolError(MqttReasonCodes.Disconnect.PROTOCOL_ERROR,
                            "session expiry changed from 0 at DISCONNECT [MQTT-3.14.2-2]");
                    return;
                }
                s.execute(() -> s.setExpiryInterval(expiry));
            }
        }
        if (reason != MqttReasonCodes.Disconnect.DISCONNECT_WITH_WILL_MESSAGE.byteValue()) {
            Session s = c.session;
            s.execute(s::discardWill);
        }
        c.closing = true;
        c.channel.close();
    }
}
