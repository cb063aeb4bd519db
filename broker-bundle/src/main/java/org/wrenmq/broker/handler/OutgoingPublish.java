package org.wrenmq.broker.handler;

import io.netty.buffer.Unpooled;
import io.netty.handler.codec.mqtt.MqttFixedHeader;
import io.netty.handler.codec.mqtt.MqttMessageType;
import io.netty.handler.codec.mqtt.MqttProperties;
import io.netty.handler.codec.mqtt.MqttProperties.MqttPropertyType;
import io.netty.handler.codec.mqtt.MqttPublishMessage;
import io.netty.handler.codec.mqtt.MqttPublishVariableHeader;
import io.netty.handler.codec.mqtt.MqttQoS;
import io.netty.handler.codec.mqtt.MqttVersion;
import java.nio.charset.StandardCharsets;
import org.wrenmq.api.UserProperty;
import org.wrenmq.broker.message.Publication;
import org.wrenmq.broker.session.Delivery;

/**
 * A PUBLISH to a client. The payload array is wrapped, not copied. For MQTT 5 clients the message's properties
 * travel with it, the expiry interval shrunk by the time it waited [MQTT-3.3.2-6], the matching subscription
 * identifiers added, and a topic alias used when the client allows them: the first message on a topic sets the
 * alias, later ones send only the alias.
 */
final class OutgoingPublish {
    private OutgoingPublish() {
    }

    /** @return false when the packet would exceed the client's maximum packet size and was not sent */
    static boolean send(MqttConnectionHandler c, Delivery d, int packetId, boolean dup) {
        Publication p = d.publication();
        String topic = p.topic();
        MqttProperties props = MqttProperties.NO_PROPERTIES;
        if (c.version == MqttVersion.MQTT_5) {
            props = properties(p, d.subscriptionIds());
            int topicBytes = topic.getBytes(StandardCharsets.UTF_8).length;
            long size = 1 + 4 + 2 + topicBytes + 2 + 4 + propertiesSize(p, d.subscriptionIds()) + p.payload().length;
            if (size > c.clientMaximumPacketSize) {
                return false;
            }
            topic = applyTopicAlias(c, topic, props);
        }
        MqttPublishMessage m = new MqttPublishMessage(
                new MqttFixedHeader(MqttMessageType.PUBLISH, dup, MqttQoS.valueOf(d.qos().value()), d.retainFlag(), 0),
                new MqttPublishVariableHeader(topic, packetId, props), Unpooled.wrappedBuffer(p.payload()));
        c.channel.writeAndFlush(m, c.channel.voidPromise());
        return true;
    }

    private static MqttProperties properties(Publication p, int[] subscriptionIds) {
        MqttProperties props = new MqttProperties();
        if (p.payloadFormat() != null) {
            Props.addInt(props, MqttPropertyType.PAYLOAD_FORMAT_INDICATOR, p.payloadFormat());
        }
        if (p.expiresAtMillis() != 0) {
            Props.addInt(props, MqttPropertyType.PUBLICATION_EXPIRY_INTERVAL,
                    (int) p.remainingExpirySeconds(System.currentTimeMillis()));
        }
        Props.addString(props, MqttPropertyType.CONTENT_TYPE, p.contentType());
        Props.addString(props, MqttPropertyType.RESPONSE_TOPIC, p.responseTopic());
        Props.addBinary(props, MqttPropertyType.CORRELATION_DATA, p.correlationData());
        for (UserProperty u : p.userProperties()) {
            props.add(new MqttProperties.UserProperty(u.name(), u.value()));
        }
        for (int id : subscriptionIds) {
            Props.addInt(props, MqttPropertyType.SUBSCRIPTION_IDENTIFIER, id);
        }
        return props;
    }

    private static long propertiesSize(Publication p, int[] subscriptionIds) {
        long size = 8 + 5 + 4L * subscriptionIds.length + 3;
        size += p.contentType() == null ? 0 : 3 + p.contentType().length() * 3L;
        size += p.responseTopic() == null ? 0 : 3 + p.responseTopic().length() * 3L;
        size += p.correlationData() == null ? 0 : 3 + p.correlationData().length;
        for (UserProperty u : p.userProperties()) {
            size += 5 + (u.name().length() + u.value().length()) * 3L;
        }
        return size;
    }

    private static String applyTopicAlias(MqttConnectionHandler c, String topic, MqttProperties props) {
        if (c.clientTopicAliasMaximum == 0) {
            return topic;
        }
        Integer alias = c.outboundAliases.get(topic);
        if (alias != null) {
            Props.addInt(props, MqttPropertyType.TOPIC_ALIAS, alias);
            return "";
        }
        if (c.outboundAliases.size() < c.clientTopicAliasMaximum) {
            int assigned = c.outboundAliases.size() + 1;
            c.outboundAliases.put(topic, assigned);
            Props.addInt(props, MqttPropertyType.TOPIC_ALIAS, assigned);
        }
        return topic;
    }
}
