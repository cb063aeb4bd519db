package org.wrenmq.broker.bridge;

import io.netty.handler.codec.mqtt.MqttProperties;
import java.nio.charset.StandardCharsets;

/** The encoded size of a PUBLISH, to check it against the remote's maximum packet size before sending. */
final class PacketSize {
    private PacketSize() {
    }

    static int publish(String topic, int payloadLength, int qos, MqttProperties props) {
        long remaining = 2L + topic.getBytes(StandardCharsets.UTF_8).length + (qos > 0 ? 2 : 0) + payloadLength;
        if (props != MqttProperties.NO_PROPERTIES) {
            int p = properties(props);
            remaining += varIntLength(p) + p;
        }
        return (int) Math.min(Integer.MAX_VALUE, 1 + varIntLength(remaining) + remaining);
    }

    private static int properties(MqttProperties props) {
        int size = 0;
        for (MqttProperties.MqttProperty<?> p : props.listAll()) {
            Object v = p.value();
            if (p instanceof MqttProperties.UserProperties) {
                for (MqttProperties.StringPair pair : ((MqttProperties.UserProperties) p).value()) {
                    size += 1 + utf8(pair.key) + utf8(pair.value);
                }
            } else if (v instanceof String) {
                size += 1 + utf8((String) v);
            } else if (v instanceof byte[]) {
                size += 1 + 2 + ((byte[]) v).length;
            } else if (p.propertyId() == MqttProperties.MqttPropertyType.PAYLOAD_FORMAT_INDICATOR.value()) {
                size += 2;
            } else {
                size += 5;
            }
        }
        return size;
    }

    private static int utf8(String s) {
        return 2 + s.getBytes(StandardCharsets.UTF_8).length;
    }

    private static int varIntLength(long n) {
        return n < 128 ? 1 : n < 16_384 ? 2 : n < 2_097_152 ? 3 : 4;
    }
}
