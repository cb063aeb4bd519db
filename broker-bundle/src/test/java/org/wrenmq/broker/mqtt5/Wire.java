package org.wrenmq.broker.mqtt5;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;

/**
 * Hand-made MQTT 5 control packets, byte for byte (5.0 chapters 2 and 3), for what a client library will not send:
 * a packet id the broker never gave, an alias above the maximum, a forbidden DISCONNECT, an acknowledgement that
 * never comes.
 */
final class Wire {
    static final int CONNECT = 1;
    static final int CONNACK = 2;
    static final int PUBLISH = 3;
    static final int PUBACK = 4;
    static final int PUBREC = 5;
    static final int PUBREL = 6;
    static final int PUBCOMP = 7;
    static final int SUBSCRIBE = 8;
    static final int SUBACK = 9;
    static final int UNSUBSCRIBE = 10;
    static final int UNSUBACK = 11;
    static final int PINGREQ = 12;
    static final int PINGRESP = 13;
    static final int DISCONNECT = 14;
    static final int AUTH = 15;

    private Wire() {
    }

    static Connect connect(String clientId) {
        return new Connect(clientId);
    }

    static byte[] publish(String topic, String payload, int qos, int packetId) {
        return publish(topic, payload.getBytes(StandardCharsets.UTF_8), qos, false, packetId, Properties.none());
    }

    static byte[] publish(String topic, byte[] payload, int qos, boolean retain, int packetId, Properties props) {
        Body body = new Body().string(topic);
        if (qos > 0) {
            body.u16(packetId);
        }
        body.properties(props).bytes(payload);
        return packet(PUBLISH << 4 | qos << 1 | (retain ? 1 : 0), body);
    }

    /** SUBSCRIBE of one filter with its subscription options byte (QoS, no local, retain as published, handling). */
    static byte[] subscribe(int packetId, String filter, int options, Properties props) {
        return subscribe(packetId, props, new String[] {filter}, new int[] {options});
    }

    /** SUBSCRIBE of filters[i] with options[i]. */
    static byte[] subscribe(int packetId, Properties props, String[] filters, int[] options) {
        Body body = new Body().u16(packetId).properties(props);
        for (int i = 0; i < filters.length; i++) {
            body.string(filters[i]).u8(options[i]);
        }
        return packet(SUBSCRIBE << 4 | 0x02, body);
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
        Body body = new Body().u16(packetId).properties(props);
        for (String f : filters) {
            body.string(f);
        }
        return packet(UNSUBSCRIBE << 4 | 0x02, body);
    }

    /** PUBACK, PUBREC, PUBREL or PUBCOMP with a reason code and properties [MQTT 5.0 section 3.4.2]. */
    static byte[] ack(int type, int packetId, int reasonCode, Properties props) {
        return packet(type << 4 | (type == PUBREL ? 0x02 : 0), new Body().u16(packetId).u8(reasonCode).properties(props));
    }

    static byte[] puback(int packetId) {
        return packet(PUBACK << 4, new Body().u16(packetId));
    }

    static byte[] pubrec(int packetId, int reasonCode) {
        return packet(PUBREC << 4, new Body().u16(packetId).u8(reasonCode).properties(Properties.none()));
    }

    static byte[] pubrel(int packetId) {
        return packet(PUBREL << 4 | 0x02, new Body().u16(packetId));
    }

    static byte[] pubcomp(int packetId) {
        return packet(PUBCOMP << 4, new Body().u16(packetId));
    }

    static byte[] pingreq() {
        return new byte[] {(byte) 0xC0, 0};
    }

    static byte[] disconnect(int reasonCode, Properties props) {
        return packet(DISCONNECT << 4, new Body().u8(reasonCode).properties(props));
    }

    static byte[] disconnect() {
        return new byte[] {(byte) 0xE0, 0};
    }

    static byte[] auth(int reasonCode, Properties props) {
        return packet(AUTH << 4, new Body().u8(reasonCode).properties(props));
    }

    static byte[] packet(int firstByte, Body body) {
        byte[] content = body.toByteArray();
        ByteArrayOutputStream out = new ByteArrayOutputStream(content.length + 5);
        out.write(firstByte);
        writeVariableByteInteger(out, content.length);
        out.writeBytes(content);
        return out.toByteArray();
    }

    static void writeVariableByteInteger(ByteArrayOutputStream out, long value) {
        do {
            int digit = (int) (value % 128);
            value /= 128;
            out.write(value > 0 ? digit | 0x80 : digit);
        } while (value > 0);
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
            Body body = new Body().string("MQTT").u8(5).u8(flags).u16(keepAlive).properties(properties)
                    .string(clientId);
            if (willTopic != null) {
                body.properties(willProperties).string(willTopic).binary(willPayload);
            }
            return packet(CONNECT << 4, body);
        }
    }

    /** The variable header and payload of a packet, field by field. */
    static final class Body {
        private final ByteArrayOutputStream out = new ByteArrayOutputStream();

        Body u8(int value) {
            out.write(value);
            return this;
        }

        Body u16(int value) {
            out.write(value >> 8);
            out.write(value);
            return this;
        }

        Body u32(long value) {
            return u16((int) (value >> 16) & 0xFFFF).u16((int) value & 0xFFFF);
        }

        Body string(String value) {
            return binary(value.getBytes(StandardCharsets.UTF_8));
        }

        Body binary(byte[] value) {
            return u16(value.length).bytes(value);
        }

        Body bytes(byte[] value) {
            out.writeBytes(value);
            return this;
        }

        /** The property length, then each property: identifier and value [MQTT 5.0 section 2.2.2]. */
        Body properties(Properties props) {
            Body p = new Body();
            for (Properties.Entry e : props.entries()) {
                writeVariableByteInteger(p.out, e.property().id);
                Object v = e.value();
                switch (e.property().kind) {
                    case BYTE -> p.u8(((Long) v).intValue());
                    case TWO_BYTES -> p.u16(((Long) v).intValue());
                    case FOUR_BYTES -> p.u32((Long) v);
                    case VARIABLE_BYTE_INTEGER -> writeVariableByteInteger(p.out, (Long) v);
                    case STRING -> p.string((String) v);
                    case BINARY -> p.binary((byte[]) v);
                    case STRING_PAIR -> p.string(((String[]) v)[0]).string(((String[]) v)[1]);
                    default -> throw new IllegalStateException();
                }
            }
            byte[] encoded = p.toByteArray();
            writeVariableByteInteger(out, encoded.length);
            return bytes(encoded);
        }

        byte[] toByteArray() {
            return out.toByteArray();
        }
    }
}
