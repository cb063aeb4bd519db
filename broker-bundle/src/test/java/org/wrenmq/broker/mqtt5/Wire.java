package org.wrenmq.broker.mqtt5;

import static org.wrenmq.broker.testing.PacketType.AUTH;
import static org.wrenmq.broker.testing.PacketType.CONNECT;
import static org.wrenmq.broker.testing.PacketType.DISCONNECT;
import static org.wrenmq.broker.testing.PacketType.PUBACK;
import static org.wrenmq.broker.testing.PacketType.PUBCOMP;
import static org.wrenmq.broker.testing.PacketType.PUBLISH;
import static org.wrenmq.broker.testing.PacketType.PUBREC;
import static org.wrenmq.broker.testing.PacketType.PUBREL;
import static org.wrenmq.broker.testing.PacketType.SUBSCRIBE;
import static org.wrenmq.broker.testing.PacketType.UNSUBSCRIBE;

import java.nio.charset.StandardCharsets;

import org.wrenmq.broker.testing.PacketBody;

/**
 * Hand-made MQTT 5 control packets, byte for byte (5.0 chapters 2 and 3), for what a client library will not send:
 * a packet id the broker never gave, an alias above the maximum, a forbidden DISCONNECT, an acknowledgement that
 * never comes.
 */
final class Wire {
    private Wire() {
    }

    static Connect connect(String clientId) {
        return new Connect(clientId);
    }

    static byte[] publish(String topic, String payload, int qos, int packetId) {
        return publish(topic, payload.getBytes(StandardCharsets.UTF_8), qos, false, packetId, Properties.none());
    }

    static byte[] publish(String topic, byte[] payload, int qos, boolean retain, int packetId, Properties props) {
        PacketBody body = new PacketBody().string(topic);
        if (qos > 0) {
            body.u16(packetId);
        }
        body.bytes(properties(props)).bytes(payload);
        return body.packet(PUBLISH << 4 | qos << 1 | (retain ? 1 : 0));
    }

    /** SUBSCRIBE of one filter with its subscription options byte (QoS, no local, retain as published, handling). */
    static byte[] subscribe(int packetId, String filter, int options, Properties props) {
        return subscribe(packetId, props, new String[] {filter}, new int[] {options});
    }

    /** SUBSCRIBE of filters[i] with options[i]. */
    static byte[] subscribe(int packetId, Properties props, String[] filters, int[] options) {
        PacketBody body = new PacketBody().u16(packetId).bytes(properties(props));
        for (int i = 0; i < filters.length; i++) {
            body.string(filters[i]).u8(options[i]);
        }
        return body.packet(SUBSCRIBE << 4 | 0x02);
    }

    static byte[] subscribe(int packetId, String filter, int qos) {
        return subscribe(packetId, filter, qos, Properties.none());
    }

    /** The subscription options byte of 5.0 section 3.8.3.1. */
    static int options(int qos, boolean noLocal, boolean retainAsPublished, int retainHandling) {
        return qos | (noLocal ? 0x04 : 0) | (retainAsPublished ? 0x08 : 0) | retainHandling << 4;
    }

    static byte[] unsubscribe(int packetId, String... filters) {
        return unsubscribe(packetId, Properties.none(), filters);
    }

    static byte[] unsubscribe(int packetId, Properties props, String... filters) {
        PacketBody body = new PacketBody().u16(packetId).bytes(properties(props));
        for (String f : filters) {
            body.string(f);
        }
        return body.packet(UNSUBSCRIBE << 4 | 0x02);
    }

    /** PUBACK, PUBREC, PUBREL or PUBCOMP with a reason code and properties [MQTT 5.0 section 3.4.2]. */
    static byte[] ack(int type, int packetId, int reasonCode, Properties props) {
        return new PacketBody().u16(packetId).u8(reasonCode).bytes(properties(props))
                .packet(type << 4 | (type == PUBREL ? 0x02 : 0));
    }

    static byte[] puback(int packetId) {
        return new PacketBody().u16(packetId).packet(PUBACK << 4);
    }

    static byte[] pubrec(int packetId, int reasonCode) {
        return ack(PUBREC, packetId, reasonCode, Properties.none());
    }

    static byte[] pubrel(int packetId) {
        return new PacketBody().u16(packetId).packet(PUBREL << 4 | 0x02);
    }

    static byte[] pubcomp(int packetId) {
        return new PacketBody().u16(packetId).packet(PUBCOMP << 4);
    }

    static byte[] pingreq() {
        return new byte[] {(byte) 0xC0, 0};
    }

    static byte[] disconnect(int reasonCode, Properties props) {
        return new PacketBody().u8(reasonCode).bytes(properties(props)).packet(DISCONNECT << 4);
    }

    static byte[] disconnect() {
        return new byte[] {(byte) 0xE0, 0};
    }

    static byte[] auth(int reasonCode, Properties props) {
        return new PacketBody().u8(reasonCode).bytes(properties(props)).packet(AUTH << 4);
    }

    /** The property length, then each property: identifier and value [MQTT 5.0 section 2.2.2]. */
    static byte[] properties(Properties props) {
        PacketBody p = new PacketBody();
        for (Properties.Entry e : props.entries()) {
            p.variableByteInteger(e.property().id);
            Object v = e.value();
            switch (e.property().kind) {
                case BYTE -> p.u8(((Long) v).intValue());
                case TWO_BYTES -> p.u16(((Long) v).intValue());
                case FOUR_BYTES -> p.u32((Long) v);
                case VARIABLE_BYTE_INTEGER -> p.variableByteInteger((Long) v);
                case STRING -> p.string((String) v);
                case BINARY -> p.binary((byte[]) v);
                case STRING_PAIR -> p.string(((String[]) v)[0]).string(((String[]) v)[1]);
                default -> throw new IllegalStateException();
            }
        }
        byte[] encoded = p.toByteArray();
        return new PacketBody().variableByteInteger(encoded.length).bytes(encoded).toByteArray();
    }

    /** A CONNECT for MQTT 5 (protocol level 5), clean start, keep alive 60 s; change it with the setters. */
    static final class Connect {
        private final String clientId;
        private boolean cleanStart = true;
        private int keepAlive = 60;
        private final Properties properties = new Properties();
        private String willTopic;
        private byte[] willPayload;
        private int willQos;
        private boolean willRetain;
        private Properties willProperties = Properties.none();

        private Connect(String clientId) {
            this.clientId = clientId;
        }

        Connect cleanStart(boolean clean) {
            this.cleanStart = clean;
            return this;
        }

        Connect keepAlive(int seconds) {
            this.keepAlive = seconds;
            return this;
        }

        Connect property(Property p, long value) {
            properties.add(p, value);
            return this;
        }

        Connect property(Property p, String value) {
            properties.add(p, value);
            return this;
        }

        Connect sessionExpiry(long seconds) {
            return property(Property.SESSION_EXPIRY_INTERVAL, seconds);
        }

        Connect will(String topic, String payload, int qos, boolean retain, Properties props) {
            this.willTopic = topic;
            this.willPayload = payload.getBytes(StandardCharsets.UTF_8);
            this.willQos = qos;
            this.willRetain = retain;
            this.willProperties = props;
            return this;
        }

        byte[] bytes() {
            int flags = (cleanStart ? 0x02 : 0)
                    | (willTopic != null ? 0x04 | willQos << 3 | (willRetain ? 0x20 : 0) : 0);
            PacketBody body = new PacketBody().string("MQTT").u8(5).u8(flags).u16(keepAlive)
                    .bytes(properties(properties)).string(clientId);
            if (willTopic != null) {
                body.bytes(properties(willProperties)).string(willTopic).binary(willPayload);
            }
            return body.packet(CONNECT << 4);
        }
    }
}
