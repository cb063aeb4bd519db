package org.wrenmq.broker.conformance;

import static org.wrenmq.broker.testing.PacketType.CONNECT;
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
 * Hand-made MQTT 3.1 / 3.1.1 control packets, byte for byte, so a test can send exactly what a client library
 * would refuse to produce (bad flags, bad lengths, bad strings, packets in the wrong order).
 */
public final class Packets {
    private Packets() {
    }

    /** A CONNECT for MQTT 3.1.1 ("MQTT", level 4), clean session, keep alive 60 s; change it with the setters. */
    public static Connect connect(String clientId) {
        return new Connect(clientId);
    }

    public static byte[] publish(String topic, String payload, int qos, int packetId) {
        return publish(utf8(topic), payload.getBytes(StandardCharsets.UTF_8), qos, false, false, packetId);
    }

    /** A PUBLISH whose topic is given as raw bytes, which may be anything but valid UTF-8. */
    public static byte[] publish(byte[] topic, byte[] payload, int qos, boolean retain, boolean dup, int packetId) {
        PacketBody body = new PacketBody().binary(topic);
        if (qos > 0) {
            body.u16(packetId);
        }
        body.bytes(payload);
        int flags = (dup ? 0x08 : 0) | (qos << 1) | (retain ? 0x01 : 0);
        return body.packet(PUBLISH << 4 | flags);
    }

    public static byte[] puback(int packetId) {
        return new PacketBody().u16(packetId).packet(PUBACK << 4);
    }

    public static byte[] pubrec(int packetId) {
        return new PacketBody().u16(packetId).packet(PUBREC << 4);
    }

    /** PUBREL carries the fixed flags 0010 [MQTT-3.6.1-1]. */
    public static byte[] pubrel(int packetId) {
        return new PacketBody().u16(packetId).packet(PUBREL << 4 | 0x02);
    }

    public static byte[] pubcomp(int packetId) {
        return new PacketBody().u16(packetId).packet(PUBCOMP << 4);
    }

    /** One SUBSCRIBE for filters[i] at qos[i], with the fixed flags 0010 [MQTT-3.8.1-1]. */
    public static byte[] subscribe(int packetId, String[] filters, int[] qos) {
        PacketBody body = new PacketBody().u16(packetId);
        for (int i = 0; i < filters.length; i++) {
            body.string(filters[i]).u8(qos[i]);
        }
        return body.packet(SUBSCRIBE << 4 | 0x02);
    }

    public static byte[] subscribe(int packetId, String filter, int qos) {
        return subscribe(packetId, new String[] {filter}, new int[] {qos});
    }

    public static byte[] unsubscribe(int packetId, String... filters) {
        PacketBody body = new PacketBody().u16(packetId);
        for (String filter : filters) {
            body.string(filter);
        }
        return body.packet(UNSUBSCRIBE << 4 | 0x02);
    }

    public static byte[] pingreq() {
        return new byte[] {(byte) 0xC0, 0};
    }

    public static byte[] disconnect() {
        return new byte[] {(byte) 0xE0, 0};
    }

    public static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    /** A CONNECT packet under construction. */
    public static final class Connect {
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
        public Connect mqtt31() {
            return protocol("MQIsdp", 3);
        }

        public Connect protocol(String name, int level) {
            this.protocolName = name;
            this.protocolLevel = level;
            return this;
        }

        public Connect cleanSession(boolean clean) {
            this.cleanSession = clean;
            return this;
        }

        public Connect keepAlive(int seconds) {
            this.keepAliveSeconds = seconds;
            return this;
        }

        /** Sets bit 0 of the connect flags, which must be zero [MQTT-3.1.2-3]. */
        public Connect reservedFlagSet() {
            this.reservedFlag = 1;
            return this;
        }

        public Connect will(String topic, String message, int qos, boolean retain) {
            this.willTopic = topic;
            this.willMessage = message;
            this.willQos = qos;
            this.willRetain = retain;
            return this;
        }

        public Connect credentials(String userName, String password) {
            this.userName = userName;
            this.password = password;
            return this;
        }

        public byte[] bytes() {
            int flags = reservedFlag
                    | (cleanSession ? 0x02 : 0)
                    | (willTopic != null ? 0x04 | willQos << 3 | (willRetain ? 0x20 : 0) : 0)
                    | (password != null ? 0x40 : 0)
                    | (userName != null ? 0x80 : 0);
            PacketBody body = new PacketBody().string(protocolName).u8(protocolLevel).u8(flags).u16(keepAliveSeconds)
                    .string(clientId);
            if (willTopic != null) {
                body.string(willTopic).string(willMessage);
            }
            if (userName != null) {
                body.string(userName);
            }
            if (password != null) {
                body.string(password);
            }
            return body.packet(CONNECT << 4);
        }
    }
}
