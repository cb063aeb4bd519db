package org.wrenmq.broker.store;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.BufferUnderflowException;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.wrenmq.api.QoS;
import org.wrenmq.api.UserProperty;
import org.wrenmq.broker.message.Origin;
import org.wrenmq.broker.message.Publication;

/**
 * The on-disk form of messages, queue entries and sessions: a format version byte, then fields in a fixed order.
 * Compatibility rule: a reader accepts every version up to its own; a field added later goes at the end under a
 * new version. Anything that does not parse is corruption ({@link StoreCorruptException}), never a crash.
 */
final class StoreCodec {
    /** Version 2: a queue entry ends with its message's identity ({@link Origin}), written only when it has one. */
    private static final int VERSION = 2;
    private static final int VERSION_1 = 1;

    private StoreCodec() {
    }

    static byte[] message(Publication p) {
        return write(out -> writePublication(out, p));
    }

    static Publication message(byte[] bytes) {
        return read(bytes, VERSION_1, (in, version) -> readPublication(in));
    }

    /** Version 1 without an identity (all a single broker writes), so that the previous version reads it. */
    static byte[] entry(StoredEntry e) {
        Origin origin = e.origin();
        return write(origin == null ? VERSION_1 : VERSION, out -> {
            out.writeLong(e.messageId());
            out.writeByte(e.qos().value());
            out.writeBoolean(e.retainFlag());
            out.writeBoolean(e.released());
            out.writeShort(e.subscriptionIds().length);
            for (int id : e.subscriptionIds()) {
                out.writeInt(id);
            }
            if (origin != null) {
                out.write(OriginBytes.putPresent(ByteBuffer.allocate(OriginBytes.BYTES), origin).array());
            }
        });
    }

    static StoredEntry entry(long seq, byte[] bytes) {
        return read(bytes, VERSION, (in, version) -> {
            long messageId = in.readLong();
            QoS qos = qos(in.readByte());
            boolean retain = in.readBoolean();
            boolean released = in.readBoolean();
            int[] ids = new int[in.readUnsignedShort()];
            for (int i = 0; i < ids.length; i++) {
                ids[i] = in.readInt();
            }
            Origin origin = version < 2 ? null
                    : OriginBytes.getPresent(ByteBuffer.wrap(in.readNBytes(OriginBytes.BYTES)));
            return new StoredEntry(seq, messageId, qos, retain, ids, released, origin);
        });
    }

    static byte[] session(StoredSession s) {
        return write(out -> {
            out.writeLong(s.expiryIntervalSeconds());
            out.writeLong(s.disconnectedAtMillis());
            out.writeInt(s.subscriptions().size());
            for (StoredSession.SubscriptionRecord r : s.subscriptions()) {
                out.writeUTF(r.topicFilter());
                writeNullable(out, r.shareGroup());
                out.writeByte(r.qos());
                out.writeBoolean(r.noLocal());
                out.writeBoolean(r.retainAsPublished());
                out.writeByte(r.retainHandling());
                out.writeInt(r.subscriptionId());
            }
            out.writeBoolean(s.will() != null);
            if (s.will() != null) {
                writePublication(out, s.will());
                out.writeLong(s.willDelaySeconds());
            }
        });
    }

    static StoredSession session(String clientId, byte[] bytes) {
        return read(bytes, VERSION_1, (in, version) -> {
            long expiry = in.readLong();
            long disconnectedAt = in.readLong();
            int n = in.readInt();
            if (n < 0 || n > bytes.length) {
                throw new IOException("subscription count " + n);
            }
            List<StoredSession.SubscriptionRecord> subs = new ArrayList<>(n);
            for (int i = 0; i < n; i++) {
                subs.add(new StoredSession.SubscriptionRecord(in.readUTF(), readNullable(in), qos(in.readByte()).value(),
                        in.readBoolean(), in.readBoolean(), in.readByte(), in.readInt()));
            }
            Publication will = null;
            long willDelay = 0;
            if (in.readBoolean()) {
                will = readPublication(in);
                willDelay = in.readLong();
            }
            return new StoredSession(clientId, expiry, disconnectedAt, subs, will, willDelay, List.of(), List.of(),
                    Map.of());
        });
    }

    private static void writePublication(DataOutputStream out, Publication p) throws IOException {
        out.writeUTF(p.topic());
        out.writeInt(p.payload().length);
        out.write(p.payload());
        out.writeByte(p.qos().value());
        out.writeBoolean(p.retain());
        writeNullable(out, p.contentType());
        writeNullable(out, p.responseTopic());
        writeBytes(out, p.correlationData());
        out.writeByte(p.payloadFormat() == null ? -1 : p.payloadFormat());
        out.writeShort(p.userProperties().size());
        for (UserProperty u : p.userProperties()) {
            out.writeUTF(u.name());
            out.writeUTF(u.value());
        }
        out.writeLong(p.expiresAtMillis());
        writeNullable(out, p.publisherId());
    }

    private static Publication readPublication(DataInputStream in) throws IOException {
        String topic = in.readUTF();
        int length = in.readInt();
        if (length < 0 || length > in.available()) {
            throw new IOException("payload length " + length);
        }
        byte[] payload = in.readNBytes(length);
        QoS qos = qos(in.readByte());
        boolean retain = in.readBoolean();
        String contentType = readNullable(in);
        String responseTopic = readNullable(in);
        byte[] correlation = readBytes(in);
        int format = in.readByte();
        int n = in.readUnsignedShort();
        List<UserProperty> users = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            users.add(new UserProperty(in.readUTF(), in.readUTF()));
        }
        long expiresAt = in.readLong();
        String publisher = readNullable(in);
        return new Publication(topic, payload, qos, retain, contentType, responseTopic, correlation,
                format < 0 ? null : format, users, expiresAt, publisher);
    }

    private static QoS qos(int value) throws IOException {
        if (value < 0 || value > 2) {
            throw new IOException("QoS " + value);
        }
        return QoS.of(value);
    }

    private static void writeNullable(DataOutputStream out, String s) throws IOException {
        out.writeBoolean(s != null);
        if (s != null) {
            out.writeUTF(s);
        }
    }

    private static String readNullable(DataInputStream in) throws IOException {
        return in.readBoolean() ? in.readUTF() : null;
    }

    private static void writeBytes(DataOutputStream out, byte[] b) throws IOException {
        out.writeInt(b == null ? -1 : b.length);
        if (b != null) {
            out.write(b);
        }
    }

    private static byte[] readBytes(DataInputStream in) throws IOException {
        int n = in.readInt();
        if (n < -1 || n > in.available()) {
            throw new IOException("length " + n);
        }
        return n < 0 ? null : in.readNBytes(n);
    }

    private interface Writer {
        void write(DataOutputStream out) throws IOException;
    }

    private interface Reader<T> {
        /** @param version the record's format version, up to the latest of its kind */
        T read(DataInputStream in, int version) throws IOException;
    }

    /** Records whose fields did not change since version 1 stay version 1: the previous version reads them. */
    private static byte[] write(Writer w) {
        return write(VERSION_1, w);
    }

    private static byte[] write(int version, Writer w) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream(64);
        try (DataOutputStream out = new DataOutputStream(bytes)) {
            out.writeByte(version);
            w.write(out);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return bytes.toByteArray();
    }

    /** @param latest the latest version of this kind of record */
    private static <T> T read(byte[] bytes, int latest, Reader<T> r) {
        if (bytes == null || bytes.length == 0) {
            throw new StoreCorruptException("empty record");
        }
        try (DataInputStream in = new DataInputStream(new ByteArrayInputStream(bytes))) {
            int version = in.readUnsignedByte();
            if (version < 1 || version > latest) {
                throw new StoreCorruptException("record format version " + version + " is not known");
            }
            T value = r.read(in, version);
            if (in.available() != 0) {
                throw new StoreCorruptException(in.available() + " unexpected bytes after a record");
            }
            return value;
        } catch (IOException | IllegalArgumentException | BufferUnderflowException e) {
            throw new StoreCorruptException("unreadable record: " + e);
        }
    }
}
