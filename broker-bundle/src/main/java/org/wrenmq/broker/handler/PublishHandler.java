package org.wrenmq.broker.handler;

import io.netty.buffer.ByteBufUtil;
import io.netty.handler.codec.mqtt.MqttFixedHeader;
import io.netty.handler.codec.mqtt.MqttProperties;
import io.netty.handler.codec.mqtt.MqttProperties.MqttPropertyType;
import io.netty.handler.codec.mqtt.MqttPublishMessage;
import io.netty.handler.codec.mqtt.MqttReasonCodes;
import io.netty.handler.codec.mqtt.MqttVersion;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import org.wrenmq.api.QoS;
import org.wrenmq.broker.message.Publication;
import org.wrenmq.broker.routing.PublishCheck;
import org.wrenmq.broker.routing.RemoteNodes;
import org.wrenmq.broker.routing.Router;
import org.wrenmq.broker.session.Session;

/**
 * An incoming PUBLISH: resolves the MQTT 5 topic alias, checks topic, QoS, retain and size against the limits,
 * routes the message and acknowledges it. QoS 2 follows method B of the spec [MQTT-4.3.3-2]: the message is
 * routed on receipt and its packet id remembered until PUBREL, so a resent duplicate is acknowledged again but
 * never routed twice.
 */
final class PublishHandler {
    private PublishHandler() {
    }

    static void handle(MqttConnectionHandler c, MqttPublishMessage msg) {
        MqttFixedHeader fixed = msg.fixedHeader();
        boolean v5 = c.version == MqttVersion.MQTT_5;
        MqttProperties props = msg.variableHeader().properties();
        if (v5 && Props.integer(props, MqttPropertyType.SUBSCRIPTION_IDENTIFIER) != null) {
            c.protocolError(MqttReasonCodes.Disconnect.PROTOCOL_ERROR,
                    "PUBLISH from a client carries a subscription identifier [MQTT-3.3.4-6]");
            return;
        }
        String topic = resolveTopicAlias(c, msg.variableHeader().topicName(), props, v5);
        if (topic == null) {
            return;
        }
        int qos = fixed.qosLevel().value();
        PublishCheck.Refusal refusal = c.broker.publishCheck().check(topic, qos, fixed.isRetain(),
                msg.payload().readableBytes());
        if (refusal != null) {
            c.protocolError(MqttReasonCodes.Disconnect.valueOf((byte) refusal.reasonCode()),
                    "PUBLISH " + refusal.why());
            return;
        }
        int packetId = msg.variableHeader().packetId();
        if (SysTopicGuard.refused(c, topic, qos, packetId)) {
            return;
        }
        if (!c.access.mayPublish(topic)) {
            refuseNotAuthorized(c, qos, packetId);
            return;
        }
        Publication read = IncomingPublication.from(c, topic, ByteBufUtil.getBytes(msg.payload()), QoS.of(qos),
                fixed.isRetain(), props);
        if (read == null) {
            refuseBadPayloadFormat(c, qos, packetId);
            return;
        }
        Publication p = c.broker.metrics().deliveryLatency.received(read);
        c.broker.metrics().messageReceived(qos, p.payload().length);
        Session session = c.session;
        session.execute(() -> route(c, session, p, packetId));
    }

    /**
     * Routes, then acknowledges once what the routing stored is durable (at once when nothing was stored) and what
     * it sent to other nodes of a cluster is held there.
     */
    private static void route(MqttConnectionHandler c, Session session, Publication p, int packetId) {
        switch (p.qos()) {
            case AT_MOST_ONCE:
                ReadPause.until(c, c.broker.router().route(p).nodesHaveRoom());
                break;
            case AT_LEAST_ONCE:
                Router.Routed routed = c.broker.router().route(p);
                acknowledge(c, session, routed.wrote(), routed.forwarded(), Packets.pubAck(packetId, (byte) 0, null));
                ReadPause.until(c, routed.nodesHaveRoom());
                break;
            default:
                boolean wrote = false;
                CompletionStage<Void> forwarded = RemoteNodes.NOTHING_TO_WAIT;
                if (session.beginIncomingQos2(packetId)) {
                    if (session.incomingQos2Count() > c.broker.config().maxInflightMessages()
                            && c.version == MqttVersion.MQTT_5) {
                        c.protocolError(MqttReasonCodes.Disconnect.RECEIVE_MAXIMUM_EXCEEDED,
                                "more QoS 2 messages awaiting PUBREL than the receive maximum "
                                        + c.broker.config().maxInflightMessages() + " [MQTT-3.3.4-9]");
                        return;
                    }
                    Router.Routed qos2 = c.broker.router().route(p);
                    wrote = qos2.wrote() | session.isPersistent();
                    forwarded = qos2.forwarded();
                    ReadPause.until(c, qos2.nodesHaveRoom());
                }
                acknowledge(c, session, wrote, forwarded, Packets.pubRec(packetId, (byte) 0, null));
        }
    }

    /**
     * As {@link #acknowledge(MqttConnectionHandler, boolean, Object)}, after the cluster holds the copies sent to
     * other nodes. While one waits, the later acknowledgements wait behind it, so they leave in PUBLISH order
     * [MQTT-4.6.0-2]. When the cluster could not take a copy the message is not acknowledged: the connection
     * closes (5.0: DISCONNECT 0x89) and the client sends it again after reconnecting.
     */
    private static void acknowledge(MqttConnectionHandler c, Session session, boolean afterCommit,
                                    CompletionStage<Void> forwarded, Object ack) {
        CompletableFuture<Void> before = c.acksAwaitingCluster;
        if (before == null && forwarded == RemoteNodes.NOTHING_TO_WAIT) {
            acknowledge(c, afterCommit, ack);
            return;
        }
        CompletableFuture<Void> mine = before == null ? forwarded.toCompletableFuture()
                : CompletableFuture.allOf(before, forwarded.toCompletableFuture());
        c.acksAwaitingCluster = mine;
        mine.whenCompleteAsync((held, failure) -> {
            if (c.acksAwaitingCluster == mine) {
                c.acksAwaitingCluster = null;
            }
            if (failure == null) {
                acknowledge(c, afterCommit, ack);
            } else {
                // the cluster logged and counted the failure
                c.channel.eventLoop().execute(() -> c.disconnect(MqttReasonCodes.Disconnect.SERVER_BUSY,
                        "the cluster could not take a message for other nodes; it was not acknowledged"));
            }
        }, session.executor());
    }

    /** Sends {@code ack} now, or after the store commit when something was written for this message. */
    static void acknowledge(MqttConnectionHandler c, boolean afterCommit, Object ack) {
        if (afterCommit && c.broker.store().durable()) {
            c.broker.store().afterCommit(c.channel.eventLoop(), () -> c.send(ack));
        } else {
            c.send(ack);
        }
    }

    /** MQTT 5 topic alias: an alias with a topic sets it, an alias alone stands for it [MQTT-3.3.2-12]. */
    private static String resolveTopicAlias(MqttConnectionHandler c, String topic, MqttProperties props,
                                            boolean v5) {
        Integer alias = v5 ? Props.integer(props, MqttPropertyType.TOPIC_ALIAS) : null;
        if (alias == null) {
            return topic;
        }
        int max = c.broker.config().maxTopicAlias();
        if (alias == 0 || alias > max) {
            c.protocolError(MqttReasonCodes.Disconnect.TOPIC_ALIAS_INVALID,
                    "topic alias " + alias + " outside 1.." + max + " (max_topic_alias) [MQTT-3.3.2-9]");
            return null;
        }
        if (!topic.isEmpty()) {
            c.setInboundAlias(alias, topic);
            return topic;
        }
        String known = c.inboundAlias(alias);
        if (known == null) {
            c.protocolError(MqttReasonCodes.Disconnect.PROTOCOL_ERROR,
                    "topic alias " + alias + " used before it was set [MQTT-3.3.4-7]");
        }
        return known;
    }

    /**
     * The acl_file denies this topic: MQTT 3.1.1 has no refusal code, so the message is acknowledged as usual and
     * dropped; MQTT 5 answers 0x87. QoS 0 gets nothing. The acknowledgement keeps its place behind earlier ones.
     */
    private static void refuseNotAuthorized(MqttConnectionHandler c, int qos, int packetId) {
        if (qos == 0) {
            return;
        }
        byte reason = c.version == MqttVersion.MQTT_5 ? MqttReasonCodes.PubAck.NOT_AUTHORIZED.byteValue() : 0;
        Object ack = qos == 1 ? Packets.pubAck(packetId, reason, null) : Packets.pubRec(packetId, reason, null);
        Session session = c.session;
        session.execute(() -> acknowledge(c, true, ack));
    }

    private static void refuseBadPayloadFormat(MqttConnectionHandler c, int qos, int packetId) {
        String why = "payload is not UTF-8 as its payload format indicator says [MQTT-3.3.2-4]";
        byte reason = MqttReasonCodes.PubAck.PAYLOAD_FORMAT_INVALID.byteValue();
        String reasonString = c.reasonString(why, Packets.PUB_REPLY_BASE_SIZE);
        if (qos == 1) {
            c.send(Packets.pubAck(packetId, reason, reasonString));
        } else if (qos == 2) {
            c.send(Packets.pubRec(packetId, reason, reasonString));
        } else {
            c.protocolError(MqttReasonCodes.Disconnect.PAYLOAD_FORMAT_INVALID, why);
        }
    }
}
