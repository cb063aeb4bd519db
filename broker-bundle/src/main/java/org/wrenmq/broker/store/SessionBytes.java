package org.wrenmq.broker.store;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.wrenmq.broker.message.Publication;

/**
 * A whole session as bytes (its record, queued and in-flight entries, the messages they refer to, the packet ids of
 * incoming QoS 2 messages awaiting PUBREL), built from the store's own records: what a cluster node hands to the
 * node a persistent session moves to.
 *
 * <p>Format 1 ends after the messages. Format 2 adds a part at the end: its version byte, then the incoming QoS 2
 * packet ids. A reader takes both (bytes from a node not yet upgraded have no incoming QoS 2 ids); a later format
 * adds its part at the end the same way.
 */
public final class SessionBytes {
    private static final int VERSION = 2;

    private SessionBytes() {
    }

    public static byte[] encode(StoredSession s) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream(256);
        try (DataOutputStream out = new DataOutputStream(bytes)) {
            out.writeUTF(s.clientId());
            part(out, StoreCodec.session(s));
            out.writeInt(s.entries().size());
            for (StoredEntry e : s.entries()) {
                out.writeLong(e.seq());
                part(out, StoreCodec.entry(e));
            }
            out.writeInt(s.messages().size());
            for (Map.Entry<Long, Publication> m : s.messages().entrySet()) {
                out.writeLong(m.getKey());
                part(out, StoreCodec.message(m.getValue()));
            }
            out.writeByte(VERSION);
            out.writeInt(s.incomingQos2().size());
            for (int packetId : s.incomingQos2()) {
                out.writeShort(packetId);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return bytes.toByteArray();
    }

    /** @throws StoreCorruptException for bytes that are not a session */
    public static StoredSession decode(byte[] bytes) {
        try (DataInputStream in = new DataInputStream(new ByteArrayInputStream(bytes))) {
            String clientId = in.readUTF();
            StoredSession record = StoreCodec.session(clientId, part(in));
            int n = in.readInt();
            List<StoredEntry> entries = new ArrayList<>(Math.max(0, Math.min(n, 65_536)));
            for (int i = 0; i < n; i++) {
                long seq = in.readLong();
                entries.add(StoreCodec.entry(seq, part(in)));
            }
            int m = in.readInt();
            Map<Long, Publication> messages = new HashMap<>();
            for (int i = 0; i < m; i++) {
                long id = in.readLong();
                messages.put(id, StoreCodec.message(part(in)));
            }
            List<Integer> incomingQos2 = in.available() == 0 ? List.of() : incomingQos2(in);
            if (in.available() != 0) {
                throw new IOException(in.available() + " unexpected bytes at the end");
            }
            return new StoredSession(clientId, record.expiryIntervalSeconds(), record.disconnectedAtMillis(),
                    record.subscriptions(), record.will(), record.willDelaySeconds(), entries, incomingQos2,
                    messages);
        } catch (IOException e) {
            throw new StoreCorruptException("unreadable session: " + e);
        }
    }

    /** The part format 2 added: its version, then the packet ids of incoming QoS 2 messages awaiting PUBREL. */
    private static List<Integer> incomingQos2(DataInputStream in) throws IOException {
        int version = in.readUnsignedByte();
        if (version < 2 || version > VERSION) {
            throw new IOException("session format version " + version + " is not known");
        }
        int n = in.readInt();
        if (n < 0 || n > 65_535) {
            throw new IOException("incoming QoS 2 count " + n);
        }
        List<Integer> ids = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            int packetId = in.readUnsignedShort();
            if (packetId == 0) {
                throw new IOException("packet id 0");
            }
            ids.add(packetId);
        }
        return ids;
    }

    private static void part(DataOutputStream out, byte[] record) throws IOException {
        out.writeInt(record.length);
        out.write(record);
    }

    private static byte[] part(DataInputStream in) throws IOException {
        int length = in.readInt();
        if (length < 0 || length > in.available()) {
            throw new IOException("record length " + length);
        }
        return in.readNBytes(length);
    }
}
