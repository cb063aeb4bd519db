package org.wrenmq.broker.handler;

import io.netty.handler.codec.mqtt.MqttReasonCodes;
import io.netty.handler.codec.mqtt.MqttUnsubscribeMessage;
import java.util.List;
import org.wrenmq.broker.session.Session;

/** UNSUBSCRIBE: removes each filter the client names and answers UNSUBACK (MQTT 5: one reason code each). */
final class UnsubscribeHandler {
    private UnsubscribeHandler() {
    }

    static void handle(MqttConnectionHandler c, MqttUnsubscribeMessage msg) {
        List<String> filters = msg.payload().topics();
        if (filters.isEmpty()) {
            c.protocolError(MqttReasonCodes.Disconnect.PROTOCOL_ERROR,
                    "UNSUBSCRIBE without a topic filter [MQTT-3.10.3-2]");
            return;
        }
        int packetId = msg.idAndPropertiesVariableHeader().messageId();
        Session session = c.session;
        session.execute(() -> {
            short[] codes = new short[filters.size()];
            for (int i = 0; i < codes.length; i++) {
                codes[i] = session.unsubscribe(filters.get(i)) ? 0
                        : MqttReasonCodes.UnsubAck.NO_SUBSCRIPTION_EXISTED.byteValue();
            }
            PublishHandler.acknowledge(c, session.isPersistent(), Packets.unsubAck(packetId, codes));
        });
    }
}
