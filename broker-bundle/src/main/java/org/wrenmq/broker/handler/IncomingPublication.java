package org.wrenmq.broker.handler;

import io.netty.handler.codec.mqtt.MqttProperties;
import io.netty.handler.codec.mqtt.MqttProperties.MqttPropertyType;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import org.wrenmq.api.QoS;
import org.wrenmq.broker.message.Publication;

/** Builds the broker's {@link Publication} from a PUBLISH or a will, with the MQTT 5 properties that travel on. */
final class IncomingPublication {
    private IncomingPublication() {
    }

    /** @return the publication, or null when the payload format indicator says UTF-8 and it is not [MQTT-3.3.2-4] */
    static Publication from(MqttConnectionHandler c, String topic, byte[] payload, QoS qos, boolean retain,
                            MqttProperties props) {
        if (props.isEmpty()) {
            return Publication.simple(topic, payload, qos, retain, c.clientId);
        }
        Integer format = Props.integer(props, MqttPropertyType.PAYLOAD_FORMAT_INDICATOR);
        if (format != null && format == 1 && !isUtf8(payload)) {
            return null;
        }
        long expiry = Props.unsigned(props, MqttPropertyType.PUBLICATION_EXPIRY_INTERVAL, -1);
        long expiresAt = expiry < 0 ? 0 : c.broker.clock().millis() + expiry * 1000;
        return new Publication(topic, payload, qos, retain,
                Props.string(props, MqttPropertyType.CONTENT_TYPE),
                Props.string(props, MqttPropertyType.RESPONSE_TOPIC),
                Props.binary(props, MqttPropertyType.CORRELATION_DATA), format, Props.userProperties(props),
                expiresAt, c.clientId);
    }

    private static boolean isUtf8(byte[] payload) {
        try {
            StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT).decode(ByteBuffer.wrap(payload));
            return true;
        } catch (CharacterCodingException e) {
            return false;
        }
    }
}
