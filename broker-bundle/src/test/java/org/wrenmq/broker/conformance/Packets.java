package org.wrenmq.broker.conformance;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;

/**
 * Hand-made MQTT 3.1 / 3.1.1 control packets, byte for byte, so a test can send exactly what a client library
 * would refuse to produce (bad flags, bad lengths, bad strings, packets in the wrong order).
 */
final class Packets {
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

    private Packets() {
    }

    /** A CONNECT for MQTT 3.1.1 ("MQTT", level 4), clean session, keep alive 60 s; change it with the setters. */
    static Connect connect(String clientId) {
        return new Connect(clientId);
    }

    static byte[] publish(String topic, String payload, int qos, int packetId) {
        return publish(utf8(topic), payload.getBytes(StandardCharsets.UTF_8), qos, false, false, packetId);
    }

    /** A PUBLISH whose topic is given as raw bytes, which may be anything but valid UTF-8. */
    static byte[] publish(byte[] topic, byte[] payload, int qos, boolean retain, boolean dup, int packetId) {
        Body body = new Body().string(topic);
        if (qos > 0) {
            body.u16(packetId);
        }
        body.bytes(payload);
        int flags = (dup ? 0x08 : 0) | (qos << 1) | (retain ? 0x01 : 0);
        return packet(PUBLISH << 4 | flags, body.toByteArray());
    }

    static byte[] puback(int packetId) {
        return packet(PUBACK << 4, new Body().u16(packetId).toByteArray());
    }

    static byte[] pubrec(int packetId) {
        return packet(PUBREC << 4, new Body().u16(packetId).toByteArray());
    }

    /** PUBREL carries the fixed flags 0010 [MQTT-3.6.1-1]. */
    static byte[] pubrel(int packetId) {
        return packet(PUBREL << 4 | 0x02, new Body().u16(packetId).toByteArray());
    }

    static byte[] pubcomp(int packetId) {
        return packet(PUBCOMP << 4, new Body().u16(packetId).toByteArray());
    }

    /** One SUBSCRIBE for filters[i] at qos[i], with the fixed flags 0010 [MQTT-3.8.1-1]. */
    static byte[] subscribe(int packetId, String[] filters, int[] qos) {
        Body body = new Body().u16(packetId);
        for (int i = 0; i < filters.length; i++) {
            body.string(utf8(filters[i])).u8(qos[i]);
        }
        return packet(SUBSCRIBE << 4 | 0x02, body.toByteArray());
    }

    static byte[] subscribe(int packetId, String filter, int qos) {
        return subscribe(packetId, new String[] {filter}, new int[] {qos});
    }

    static byte[] unsubscribe(int packetId, String... filters) {
        Body body = new Body().u16(packetId);
        for (String filter : filters) {
            body.string(utf8(filter));
        }
        return packet(UNSUBSCRIBE << 4 | 0x02, body.toByteArray());
    }

    static byte[] pingreq() {
        return new byte[] {(byte) 0xC0, 0};
    }

    static byte[] disconnect() {
        return new byte[] {(byte) 0xE0, 0};
    }

    /** Any packet: the first byte as given, then the remaining length and the body. */
    static byte[] packet(int firstByte, byte[] body) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(body.length + 5);
        out.write(firstByte);
        int length = body.length;
        do {
            int digit = length % 128;
            length /= 128;
            out.write(length > 0 ? digit | 0x80 : digit);
        } while (length > 0);
        out.writeBytes(body);
        return out.toByteArray();
    }

    static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    /** A CONNECT packet under construction. */
    static final class Connect {
        private String protocolName = "MQTT";
        private int protocolLevel = 4;
        private final String clientId;
        private boolean cleanSession = true;
        private int keepAliveSeconds = 60;
        private int reservedFlag;
        private String willTopic;
        private String willMessage;
        private int willQos;
        private boolean willRetain;
        private String userName;
        private String password;

        private Connect(String clientId) {
            this.clientId = clientId;
        }

        /** MQTT 3.1: protocol name "MQIsdp", level 3. */
        Connect mqtt31() {
            return protocol("MQIsdp", 3);
        }

        Connect protocol(String name, int level) {
            this.protocolName = name;
            this.protocolLevel = level;
            return this;
        }

        Connect cleanSession(boolean clean) {
            this.cleanSession = clean;
            return this;
        }

        Connect keepAlive(int seconds) {
            this.keepAliveSeconds = seconds;
            return this;
        }

        /** Sets bit 0 of the connect flags, which must be zero [MQTT-3.1.2-3]. */
        Connect reservedFlagSet() {
            this.reservedFlag = 1;
            return this;
        }

        Connect will(String topic, String message, int qos, boolean retain) {
            this.willTopic = topic;
            this.willMessage = message;
            this.willQos = qos;
            this.willRetain = retain;
            return this;
        }

        Connect credentials(String userName, String password) {
            this.userName = userName;
            this.password = password;
            return this;
        }

        byte[] bytes() {
            int flags = reservedFlag
                    | (cleanSession ? 0x02 : 0)
                    | (willTopic != null ? 0x04 | willQos << 3 | (willRetain ? 0x20 : 0) : 0)
                    | (password != null ? 0x40 : 0)
                    | (userName != null ? 0x80 : 0);
            Body body = new Body().string(utf8(protocolName)).u8(protocolLevel).u8(flags).u16(keepAliveSeconds)
                    .string(utf8(clientId));
            if (willTopic != null) {
                body.string(utf8(willTopic)).string(utf8(willMessage));
            }
            if (userName != null) {
                body.string(utf8(userName));
            }
            if (password != null) {
                body.string(utf8(password));
            }
            return packet(CONNECT << 4, body.toByteArray());
        }
    }

    /** The variable header and payload of a packet, written field by field. */
    private static final class Body {
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

        /** A length-prefixed string, written as the given bytes. */
        Body string(byte[] value) {
            return u16(value.length).bytes(value);
        }

        Body bytes(byte[] value) {
            out.writeBytes(value);
            return this;
        }

        byte[] toByteArray() {
            return out.toByteArray();
        }
    }
}
