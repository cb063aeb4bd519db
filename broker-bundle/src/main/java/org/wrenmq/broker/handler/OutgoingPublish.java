package org.wrenmq.broker.handler;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import io.netty.handler.codec.mqtt.MqttFixedHeader;
import io.netty.handler.codec.mqtt.MqttMessageType;
import io.netty.handler.codec.mqtt.MqttProperties;
import io.netty.handler.codec.mqtt.MqttProperties.MqttPropertyType;
import io.netty.handler.codec.mqtt.MqttPublishMessage;
import io.netty.handler.codec.mqtt.MqttPublishVariableHeader;
import io.netty.handler.codec.mqtt.MqttQoS;
import io.netty.handler.codec.mqtt.MqttVersion;
import org.wrenmq.api.QoS;
import org.wrenmq.api.UserProperty;
import org.wrenmq.broker.message.Publication;
import org.wrenmq.broker.routing.Delivery;

/**
 * A PUBLISH to a client. The payload array is wrapped, not copied. For MQTT 5 clients the message's properties
 * travel with it, the expiry interval shrunk by the time it waited [MQTT-3.3.2-6], the matching subscription
 * identifiers added, and a topic alias used when the client allows them: the first message on a topic sets the
 * alias, later ones send only the alias. A packet larger than the client's maximum packet size is not sent
 * [MQTT-3.1.2-25]; its size is computed exactly as the encoder will write it. A QoS 0 message that goes to several
 * MQTT 3.x subscribers is encoded once ({@link SharedQos0Publish}).
 */
final class OutgoingPublish {
    private OutgoingPublish() {
    }

    /** @return false when the packet would exceed the client's maximum packet size and was not sent */
    static boolean send(MqttConnectionHandler c, Delivery d, int packetId, boolean dup) {
        Publication p = d.publication();
        if (c.version != MqttVersion.MQTT_5 && d.qos() == QoS.AT_MOST_ONCE) {
            ByteBuf shared = SharedQos0Publish.packet(c.channel.alloc(), p, d.retainFlag());
            if (shared != null) {
                c.send(shared);
                c.broker.metrics().deliveryLatency.delivered(p);
                return true;
            }
        }
        String topic = p.topic();
        MqttProperties props = MqttProperties.NO_PROPERTIES;
        if (c.version == MqttVersion.MQTT_5) {
            long remainingExpiry = p.expiresAtMillis() == 0 ? -1 : p.remainingExpirySeconds(c.broker.clock().millis());
            Integer alias = c.clientTopicAliasMaximum == 0 ? null : c.outboundAlias(topic);
            boolean newAlias = alias == null && c.clientTopicAliasMaximum > 0
                    && c.outboundAliasCount() < c.clientTopicAliasMaximum;
            if (newAlias) {
                alias = c.outboundAliasCount() + 1;
            }
            String sentTopic = alias != null && !newAlias ? "" : topic;
            long propertiesLength = propertiesLength(p, remainingExpiry, d.subscriptionIds(), alias != null);
            long remaining = 2 + ByteBufUtil.utf8Bytes(sentTopic) + (d.qos() == QoS.AT_MOST_ONCE ? 0 : 2)
                    + variableIntLength(propertiesLength) + propertiesLength + p.payload().length;
            if (1 + variableIntLength(remaining) + remaining > c.clientMaximumPacketSize) {
                return false;
            }
            if (newAlias) {
                c.setOutboundAlias(topic, alias);
            }
            props = properties(p, remainingExpiry, d.subscriptionIds(), alias);
            topic = sentTopic;
        }
        MqttPublishMessage m = new MqttPublishMessage(
                new MqttFixedHeader(MqttMessageType.PUBLISH, dup, MqttQoS.valueOf(d.qos().value()), d.retainFlag(), 0),
                new MqttPublishVariableHeader(topic, packetId, props), Unpooled.wrappedBuffer(p.payload()));
        c.send(m);
        c.broker.metrics().deliveryLatency.delivered(p);
        return true;
    }

    private static MqttProperties properties(Publication p, long remainingExpiry, int[] subscriptionIds,
                                             Integer alias) {
        MqttProperties props = new MqttProperties();
        if (p.payloadFormat() != null) {
            Props.addInt(props, MqttPropertyType.PAYLOAD_FORMAT_INDICATOR, p.payloadFormat());
        }
        if (remainingExpiry >= 0) {
            Props.addInt(props, MqttPropertyType.PUBLICATION_EXPIRY_INTERVAL, (int) remainingExpiry);
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
        if (alias != null) {
            Props.addInt(props, MqttPropertyType.TOPIC_ALIAS, alias);
        }
        return props;
    }

    /** The encoded length of the properties {@link #properties} writes: identifier byte plus value each. */
    private static long propertiesLength(Publication p, long remainingExpiry, int[] subscriptionIds,
                                         boolean alias) {
        long n = 0;
        n += p.payloadFormat() == null ? 0 : 1 + 1;
        n += remainingExpiry < 0 ? 0 : 1 + 4;
        n += p.contentType() == null ? 0 : 1 + 2 + ByteBufUtil.utf8Bytes(p.contentType());
        n += p.responseTopic() == null ? 0 : 1 + 2 + ByteBufUtil.utf8Bytes(p.responseTopic());
        n += p.correlationData() == null ? 0 : 1 + 2 + p.correlationData().length;
        for (UserProperty u : p.userProperties()) {
            n += 1 + 2 + ByteBufUtil.utf8Bytes(u.name()) + 2 + ByteBufUtil.utf8Bytes(u.value());
        }
        for (int id : subscriptionIds) {
            n += 1 + variableIntLength(id);
        }
        n += alias ? 1 + 2 : 0;
        return n;
    }

    /** Bytes of MQTT's variable byte integer for {@code value}. */
    static int variableIntLength(long value) {
        return value < 128 ? 1 : value < 16_384 ? 2 : value < 2_097_152 ? 3 : 4;
    }
}
