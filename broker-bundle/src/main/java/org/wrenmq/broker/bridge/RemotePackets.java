package org.wrenmq.broker.bridge;

import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import io.netty.handler.codec.mqtt.MqttConnectMessage;
import io.netty.handler.codec.mqtt.MqttFixedHeader;
import io.netty.handler.codec.mqtt.MqttMessage;
import io.netty.handler.codec.mqtt.MqttMessageBuilders;
import io.netty.handler.codec.mqtt.MqttMessageIdVariableHeader;
import io.netty.handler.codec.mqtt.MqttMessageType;
import io.netty.handler.codec.mqtt.MqttProperties;
import io.netty.handler.codec.mqtt.MqttProperties.MqttPropertyType;
import io.netty.handler.codec.mqtt.MqttPublishMessage;
import io.netty.handler.codec.mqtt.MqttQoS;
import io.netty.handler.codec.mqtt.MqttSubscriptionOption;
import io.netty.handler.codec.mqtt.MqttVersion;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.wrenmq.api.MqttMessage.Builder;
import org.wrenmq.api.QoS;
import org.wrenmq.broker.BridgeConfig;
import org.wrenmq.broker.message.Publication;

/** The packets a bridge sends its remote broker, and the message of a PUBLISH it receives, with Netty's codec. */
final class RemotePackets {
    static final String NOTIFY_UP = "1";
    static final String NOTIFY_DOWN = "0";

    private RemotePackets() {
    }

    static MqttVersion version(int protocolVersion) {
        switch (protocolVersion) {
            case 3: return MqttVersion.MQTT_3_1;
            case 5: return MqttVersion.MQTT_5;
            default: return MqttVersion.MQTT_3_1_1;
        }
    }

    /** CONNECT as mosquitto's bridge sends it: with the notification topic's "0" as retained will. */
    static MqttConnectMessage connect(BridgeConfig c, int protocolVersion) {
        MqttMessageBuilders.ConnectBuilder b = MqttMessageBuilders.connect()
                .protocolVersion(version(protocolVersion))
                .clientId(c.remoteClientId())
                .cleanSession(c.cleanSession())
                .keepAlive(c.keepaliveSeconds());
        if (protocolVersion == 5) {
            MqttProperties props = new MqttProperties();
            if (!c.cleanSession()) {
                props.add(new MqttProperties.IntegerProperty(MqttPropertyType.SESSION_EXPIRY_INTERVAL.value(), -1));
            }
            if (c.maxPacketSize() > 0) {
                props.add(new MqttProperties.IntegerProperty(MqttPropertyType.MAXIMUM_PACKET_SIZE.value(),
                        c.maxPacketSize()));
            }
            b.properties(props).willProperties(MqttProperties.NO_PROPERTIES);
        }
        if (c.notifications()) {
            b.willFlag(true).willTopic(c.notificationTopic()).willQoS(MqttQoS.AT_LEAST_ONCE)
                    .willRetain(c.outgoingRetain()).willMessage(NOTIFY_DOWN.getBytes(StandardCharsets.UTF_8));
        }
        if (c.remoteUsername() != null) {
            b.hasUser(true).username(c.remoteUsername());
        }
        if (c.remotePassword() != null) {
            b.hasPassword(true).password(c.remotePassword().getBytes(StandardCharsets.UTF_8));
        }
        return b.build();
    }

    /** One SUBSCRIBE for every in topic; MQTT 5 asks for no local and retain as published, as mosquitto does. */
    static MqttMessage subscribe(int packetId, List<BridgeConfig.Topic> in, int protocolVersion) {
        MqttMessageBuilders.SubscribeBuilder b = MqttMessageBuilders.subscribe().messageId(packetId);
        boolean v5 = protocolVersion == 5;
        for (BridgeConfig.Topic t : in) {
            b.addSubscription(t.remoteFilter(), new MqttSubscriptionOption(MqttQoS.valueOf(t.qos()), v5, v5,
                    MqttSubscriptionOption.RetainedHandlingPolicy.SEND_AT_SUBSCRIBE));
        }
        return b.build();
    }

    static MqttMessage unsubscribe(int packetId, List<String> filters) {
        MqttMessageBuilders.UnsubscribeBuilder b = MqttMessageBuilders.unsubscribe().messageId(packetId);
        filters.forEach(b::addTopicFilter);
        return b.build();
    }

    static MqttPublishMessage publish(String topic, byte[] payload, int qos, boolean retain, int packetId,
                                      MqttProperties props) {
        return MqttMessageBuilders.publish().topicName(topic).qos(MqttQoS.valueOf(qos)).retained(retain)
                .messageId(packetId).payload(Unpooled.wrappedBuffer(payload)).properties(props).build();
    }

    /** The MQTT 5 properties of a message forwarded out (none towards MQTT 3.x). */
    static MqttProperties properties(org.wrenmq.api.MqttMessage m, int protocolVersion) {
        if (protocolVersion != 5) {
            return MqttProperties.NO_PROPERTIES;
        }
        MqttProperties p = new MqttProperties();
        m.contentType().ifPresent(v -> p.add(new MqttProperties.StringProperty(
                MqttPropertyType.CONTENT_TYPE.value(), v)));
        m.responseTopic().ifPresent(v -> p.add(new MqttProperties.StringProperty(
                MqttPropertyType.RESPONSE_TOPIC.value(), v)));
        m.correlationData().ifPresent(v -> p.add(new MqttProperties.BinaryProperty(
                MqttPropertyType.CORRELATION_DATA.value(), v)));
        m.payloadUtf8().ifPresent(v -> p.add(new MqttProperties.IntegerProperty(
                MqttPropertyType.PAYLOAD_FORMAT_INDICATOR.value(), v ? 1 : 0)));
        m.messageExpiryInterval().ifPresent(v -> p.add(new MqttProperties.IntegerProperty(
                MqttPropertyType.PUBLICATION_EXPIRY_INTERVAL.value(), (int) v)));
        if (!m.userProperties().isEmpty()) {
            MqttProperties.UserProperties users = new MqttProperties.UserProperties();
            m.userProperties().forEach(u -> users.add(u.name(), u.value()));
            p.add(users);
        }
        return p;
    }

    /** A PUBLISH from the remote, under its local topic, published by the bridge's local client id. */
    static Publication publication(MqttPublishMessage m, String localTopic, String publisherId, long nowMillis) {
        byte[] payload = ByteBufUtil.getBytes(m.payload());
        MqttProperties p = m.variableHeader().properties();
        Builder b = org.wrenmq.api.MqttMessage.builder(localTopic).payload(payload)
                .qos(QoS.of(m.fixedHeader().qosLevel().value())).retain(m.fixedHeader().isRetain());
        if (p != null && !p.isEmpty()) {
            b.contentType(string(p, MqttPropertyType.CONTENT_TYPE))
                    .responseTopic(string(p, MqttPropertyType.RESPONSE_TOPIC));
            MqttProperties.MqttProperty<?> corr = p.getProperty(MqttPropertyType.CORRELATION_DATA.value());
            if (corr != null) {
                b.correlationData((byte[]) corr.value());
            }
            MqttProperties.MqttProperty<?> format = p.getProperty(MqttPropertyType.PAYLOAD_FORMAT_INDICATOR.value());
            if (format != null) {
                b.payloadUtf8(((Integer) format.value()) == 1);
            }
            MqttProperties.MqttProperty<?> expiry = p.getProperty(MqttPropertyType.PUBLICATION_EXPIRY_INTERVAL.value());
            if (expiry != null) {
                b.messageExpiryInterval(Integer.toUnsignedLong((Integer) expiry.value()));
            }
            for (MqttProperties.MqttProperty<?> u : p.getProperties(MqttPropertyType.USER_PROPERTY.value())) {
                if (u instanceof MqttProperties.UserProperty) {
                    MqttProperties.StringPair pair = ((MqttProperties.UserProperty) u).value();
                    b.userProperty(pair.key, pair.value);
                }
            }
        }
        return Publication.fromApi(b.build(), publisherId, nowMillis);
    }

    private static String string(MqttProperties p, MqttPropertyType type) {
        MqttProperties.MqttProperty<?> v = p.getProperty(type.value());
        return v == null ? null : (String) v.value();
    }

    static MqttMessage pubAck(int packetId) {
        return MqttMessageBuilders.pubAck().packetId(packetId).build();
    }

    static MqttMessage pubRec(int packetId) {
        return idOnly(MqttMessageType.PUBREC, MqttQoS.AT_MOST_ONCE, packetId);
    }

    static MqttMessage pubRel(int packetId) {
        return idOnly(MqttMessageType.PUBREL, MqttQoS.AT_LEAST_ONCE, packetId);
    }

    static MqttMessage pubComp(int packetId) {
        return idOnly(MqttMessageType.PUBCOMP, MqttQoS.AT_MOST_ONCE, packetId);
    }

    static MqttMessage pingReq() {
        return new MqttMessage(new MqttFixedHeader(MqttMessageType.PINGREQ, false, MqttQoS.AT_MOST_ONCE, false, 0));
    }

    static MqttMessage disconnect() {
        return new MqttMessage(new MqttFixedHeader(MqttMessageType.DISCONNECT, false, MqttQoS.AT_MOST_ONCE, false,
                0));
    }

    private static MqttMessage idOnly(MqttMessageType type, MqttQoS qos, int packetId) {
        return new MqttMessage(new MqttFixedHeader(type, false, qos, false, 2), MqttMessageIdVariableHeader.from(packetId));
    }
}
