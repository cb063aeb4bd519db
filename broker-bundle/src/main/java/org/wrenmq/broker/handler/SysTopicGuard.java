package org.wrenmq.broker.handler;

import io.netty.handler.codec.mqtt.MqttReasonCodes;
import io.netty.handler.codec.mqtt.MqttVersion;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code $SYS} belongs to the broker: a client's PUBLISH to a topic starting with {@code $SYS} (or a will there)
 * is never routed nor retained, so nobody can overwrite what the broker reports there. As mosquitto does, the
 * PUBLISH is still acknowledged as the protocol requires, so the client's flow completes: MQTT 3.1.1 has no way
 * to say no (plain PUBACK/PUBREC), MQTT 5 says 0x87 Not authorized. Counted in {@code messages.refused.sys_topic};
 * logged once per connection. A private bridge ({@link PrivateBridge}) may publish its connection state under
 * {@code $SYS/broker/connection/}, as mosquitto's bridges do.
 */
final class SysTopicGuard {
    private static final Logger LOG = LoggerFactory.getLogger(SysTopicGuard.class);
    private static final String SYS = "$SYS";
    /** Where mosquitto's bridges publish their state: a private bridge may (docs/bridges.md). */
    private static final String BRIDGE_STATE = "$SYS/broker/connection/";
    private static final byte NOT_AUTHORIZED = MqttReasonCodes.PubAck.NOT_AUTHORIZED.byteValue();

    private SysTopicGuard() {
    }

    static boolean isSysTopic(String topic) {
        return topic.startsWith(SYS);
    }

    /** A private bridge's connection state (its notifications and will), which it may publish. */
    static boolean bridgeState(MqttConnectionHandler c, String topic) {
        return topic.startsWith(BRIDGE_STATE) && PrivateBridge.isBridge(c.channel);
    }

    /** Refuses a client's PUBLISH to {@code $SYS}: true when {@code topic} is one, and it was answered. */
    static boolean refused(MqttConnectionHandler c, String topic, int qos, int packetId) {
        if (!isSysTopic(topic) || bridgeState(c, topic)) {
            return false;
        }
        c.broker.metrics().messagesRefusedSysTopic.increment();
        if (!c.sysPublishLogged) {
            c.sysPublishLogged = true;
            LOG.warn("client '{}' ({}) published to '{}': $SYS is read-only for clients, message dropped "
                    + "(further ones from this connection are only counted)", c.clientId, c.remote(), topic);
        }
        String why = "$SYS topics are read-only for clients";
        byte reason = c.version == MqttVersion.MQTT_5 ? NOT_AUTHORIZED : 0;
        String reasonString = c.reasonString(why, Packets.PUB_REPLY_BASE_SIZE);
        if (qos == 1) {
            c.send(Packets.pubAck(packetId, reason, reasonString));
        } else if (qos == 2) {
            c.send(Packets.pubRec(packetId, reason, reasonString));
        }
        return true;
    }
}
