package org.wrenmq.broker.handler;

import io.netty.handler.codec.mqtt.MqttConnAckMessage;
import io.netty.handler.codec.mqtt.MqttConnAckVariableHeader;
import io.netty.handler.codec.mqtt.MqttConnectReturnCode;
import io.netty.handler.codec.mqtt.MqttFixedHeader;
import io.netty.handler.codec.mqtt.MqttMessage;
import io.netty.handler.codec.mqtt.MqttMessageIdAndPropertiesVariableHeader;
import io.netty.handler.codec.mqtt.MqttMessageType;
import io.netty.handler.codec.mqtt.MqttProperties;
import io.netty.handler.codec.mqtt.MqttProperties.MqttPropertyType;
import io.netty.handler.codec.mqtt.MqttPubReplyMessageVariableHeader;
import io.netty.handler.codec.mqtt.MqttQoS;
import io.netty.handler.codec.mqtt.MqttReasonCodeAndPropertiesVariableHeader;
import io.netty.handler.codec.mqtt.MqttReasonCodes;
import io.netty.handler.codec.mqtt.MqttSubAckMessage;
import io.netty.handler.codec.mqtt.MqttSubAckPayload;
import io.netty.handler.codec.mqtt.MqttUnsubAckMessage;
import io.netty.handler.codec.mqtt.MqttUnsubAckPayload;

/**
 * Every packet the broker sends except PUBLISH (see {@link OutgoingPublish}), one factory method per type, as
 * mosquitto's send_*.c. The encoder writes the MQTT 5 parts (reason codes, properties) only to MQTT 5 clients.
 */
final class Packets {
    private static final MqttMessage PINGRESP =
            new MqttMessage(new MqttFixedHeader(MqttMessageType.PINGRESP, false, MqttQoS.AT_MOST_ONCE, false, 0));

    /** Bytes of an MQTT 5 DISCONNECT with a reason code and empty properties: what a reason string adds to. */
    static final int DISCONNECT_BASE_SIZE = 4;
    /** Bytes of an MQTT 5 PUBACK/PUBREC/PUBREL/PUBCOMP with a reason code and empty properties. */
    static final int PUB_REPLY_BASE_SIZE = 6;

    private Packets() {
    }

    static MqttConnAckMessage connAck(MqttConnectReturnCode code, boolean sessionPresent, MqttProperties props) {
        return new MqttConnAckMessage(fixed(MqttMessageType.CONNACK, MqttQoS.AT_MOST_ONCE),
                new MqttConnAckVariableHeader(code, sessionPresent, props));
    }

    static MqttMessage pubAck(int packetId, byte reason, String reasonString) {
        return pubReply(MqttMessageType.PUBACK, MqttQoS.AT_MOST_ONCE, packetId, reason, reasonString);
    }

    static MqttMessage pubRec(int packetId, byte reason, String reasonString) {
        return pubReply(MqttMessageType.PUBREC, MqttQoS.AT_MOST_ONCE, packetId, reason, reasonString);
    }

    static MqttMessage pubRel(int packetId) {
        return pubRel(packetId, (byte) 0);
    }

    static MqttMessage pubRel(int packetId, byte reason) {
        return pubReply(MqttMessageType.PUBREL, MqttQoS.AT_LEAST_ONCE, packetId, reason, null);
    }

    static MqttMessage pubComp(int packetId, byte reason) {
        return pubReply(MqttMessageType.PUBCOMP, MqttQoS.AT_MOST_ONCE, packetId, reason, null);
    }

    static MqttSubAckMessage subAck(int packetId, int[] reasonCodes) {
        return new MqttSubAckMessage(fixed(MqttMessageType.SUBACK, MqttQoS.AT_MOST_ONCE),
                new MqttMessageIdAndPropertiesVariableHeader(packetId, MqttProperties.NO_PROPERTIES),
                new MqttSubAckPayload(reasonCodes));
    }

    static MqttUnsubAckMessage unsubAck(int packetId, short[] reasonCodes) {
        return new MqttUnsubAckMessage(fixed(MqttMessageType.UNSUBACK, MqttQoS.AT_MOST_ONCE),
                new MqttMessageIdAndPropertiesVariableHeader(packetId, MqttProperties.NO_PROPERTIES),
                new MqttUnsubAckPayload(reasonCodes));
    }

    static MqttMessage pingResp() {
        return PINGRESP;
    }

    static MqttMessage disconnect(MqttReasonCodes.Disconnect reason, String reasonString) {
        return new MqttMessage(fixed(MqttMessageType.DISCONNECT, MqttQoS.AT_MOST_ONCE),
                new MqttReasonCodeAndPropertiesVariableHeader(reason.byteValue(), reasonString(reasonString)));
    }

    static MqttMessage auth(byte reason, String reasonString) {
        return new MqttMessage(fixed(MqttMessageType.AUTH, MqttQoS.AT_MOST_ONCE),
                new MqttReasonCodeAndPropertiesVariableHeader(reason, reasonString(reasonString)));
    }

    static MqttProperties reasonString(String reasonString) {
        if (reasonString == null) {
            return MqttProperties.NO_PROPERTIES;
        }
        MqttProperties props = new MqttProperties();
        Props.addString(props, MqttPropertyType.REASON_STRING, reasonString);
        return props;
    }

    private static MqttMessage pubReply(MqttMessageType type, MqttQoS qos, int packetId, byte reason,
                                        String reasonString) {
        return new MqttMessage(fixed(type, qos),
                new MqttPubReplyMessageVariableHeader(packetId, reason, reasonString(reasonString)));
    }

    private static MqttFixedHeader fixed(MqttMessageType type, MqttQoS qos) {
        return new MqttFixedHeader(type, false, qos, false, 0);
    }
}
