package org.wrenmq.broker.handler;

import io.netty.handler.codec.mqtt.MqttProperties.MqttPropertyType;
import io.netty.handler.codec.mqtt.MqttReasonCodes;
import io.netty.handler.codec.mqtt.MqttSubscribeMessage;
import io.netty.handler.codec.mqtt.MqttSubscriptionOption;
import io.netty.handler.codec.mqtt.MqttTopicSubscription;
import io.netty.handler.codec.mqtt.MqttVersion;
import java.util.ArrayList;
import java.util.List;
import org.wrenmq.api.QoS;
import org.wrenmq.broker.routing.SharedFilter;
import org.wrenmq.broker.routing.Subscription;
import org.wrenmq.broker.routing.Topics;
import org.wrenmq.broker.session.Session;

/**
 * SUBSCRIBE: validates each filter, grants at most {@code max_qos}, stores the subscriptions, answers SUBACK with
 * one code per filter in order [MQTT-3.8.4-6], then sends the matching retained messages with RETAIN set
 * [MQTT-3.3.1-6] as the retain handling option says. Shared subscriptions ($share/GROUP/FILTER, MQTT 5) get no
 * retained messages [MQTT-3.8.4-4 of 5.0].
 */
final class SubscribeHandler {
    private SubscribeHandler() {
    }

    static void handle(MqttConnectionHandler c, MqttSubscribeMessage msg) {
        List<MqttTopicSubscription> requested = msg.payload().topicSubscriptions();
        if (requested.isEmpty()) {
            c.protocolError(MqttReasonCodes.Disconnect.PROTOCOL_ERROR, "SUBSCRIBE without a topic filter [MQTT-3.8.3-3]");
            return;
        }
        boolean v5 = c.version == MqttVersion.MQTT_5;
        Integer id = v5 ? Props.integer(msg.idAndPropertiesVariableHeader().properties(),
                MqttPropertyType.SUBSCRIPTION_IDENTIFIER) : null;
        if (id != null && id == 0) {
            c.protocolError(MqttReasonCodes.Disconnect.PROTOCOL_ERROR, "subscription identifier 0 [MQTT-3.8.2.1.2]");
            return;
        }
        int subscriptionId = id == null ? 0 : id;
        int packetId = msg.idAndPropertiesVariableHeader().messageId();
        Session session = c.session;
        List<Subscription> accepted = new ArrayList<>(requested.size());
        int[] codes = new int[requested.size()];
        for (int i = 0; i < requested.size(); i++) {
            MqttTopicSubscription t = requested.get(i);
            MqttSubscriptionOption o = t.option();
            String text = t.topicFilter();
            SharedFilter shared = v5 ? SharedFilter.parse(text) : null;
            String filter = shared != null ? shared.filter() : text;
            if ((v5 && Topics.isShared(text) && shared == null) || Topics.topicFilterError(filter) != null) {
                codes[i] = v5 ? MqttReasonCodes.SubAck.TOPIC_FILTER_INVALID.byteValue() & 0xFF : 0x80;
                accepted.add(null);
                continue;
            }
            if (!c.access.maySubscribe(filter)) {
                codes[i] = v5 ? MqttReasonCodes.SubAck.NOT_AUTHORIZED.byteValue() & 0xFF : 0x80;
                accepted.add(null);
                continue;
            }
            if (shared != null && o.isNoLocal()) {
                c.protocolError(MqttReasonCodes.Disconnect.PROTOCOL_ERROR,
                        "no local on a shared subscription [MQTT-3.8.3-4]");
                return;
            }
            c.starFilterHint.check(c, filter);
            QoS granted = QoS.of(Math.min(o.qos().value(), c.broker.config().maxQos()));
            codes[i] = granted.value();
            boolean bridge = !v5 && PrivateBridge.isBridge(c.channel);
            accepted.add(new Subscription(session, filter, shared == null ? null : shared.group(), granted,
                    o.isNoLocal() || bridge, o.isRetainAsPublished() || bridge, o.retainHandling().value(),
                    subscriptionId));
        }
        session.execute(() -> {
            List<Subscription> sendRetained = new ArrayList<>();
            for (Subscription s : accepted) {
                if (s == null) {
                    continue;
                }
                boolean isNew = session.subscribe(s) == null;
                if (s.shareGroup() == null && (s.retainHandling() == 0 || (s.retainHandling() == 1 && isNew))) {
                    sendRetained.add(s);
                }
            }
            Object subAck = Packets.subAck(packetId, codes);
            if (session.isPersistent() && c.broker.store().durable()) {
                // the retained messages follow the SUBACK, which waits until the subscriptions are durable
                c.broker.store().afterCommit(c.channel.eventLoop(), () -> {
                    c.send(subAck);
                    session.execute(() -> sendRetained.forEach(session::deliverRetained));
                });
            } else {
                c.send(subAck);
                sendRetained.forEach(session::deliverRetained);
            }
        });
    }
}
