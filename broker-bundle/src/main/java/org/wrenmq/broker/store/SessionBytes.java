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
 * packet ids. Format 3 writes version 3 there and, after the packet ids, each entry's identity ({@link OriginBytes}),
 * so that a moved session's messages are still recognised on the node it moved to (a split hand-over, an adoption).
 * Format 3 is written only when some entry has an identity, else format 2, which nodes of the previous version
 * read (they refuse format 3). A reader takes all three (bytes from a node not yet upgraded have no incoming QoS 2
 * ids or identities); a later format adds its part at the end the same way.
 */
public final class SessionBytes {
    private static final int VERSION = 3;
    /** The format written when no entry has an identity: nodes of the previous version read it. */
    private static final int WITHOUT_IDENTITIES = 2;

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
                part(out, StoreCodec.entry(e.withOrigin(null))); // identities follow in format 3's part
            }
            out.writeInt(s.messages().size());
            for (Map.Entry<Long, Publication> m : s.messages().entrySet()) {
                out.writeLong(m.getKey());
                part(out, StoreCodec.message(m.getValue()));
            }
            boolean identified = s.entries().stream().anyMatch(e -> e.origin() != null);
            out.writeByte(identified ? VERSION : WITHOUT_IDENTITIES);
            out.writeInt(s.incomingQos2().size());
            for (int packetId : s.incomingQos2()) {
                out.writeShort(packetId);
            }
            if (identified) {
                out.write(origins(s.entries()));
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
            int version = in.available() == 0 ? 1 : version(in);
            List<Integer> incomingQos2 = version < 2 ? List.of() : incomingQos2(in);
            if (version >= 3) {
                entries = withOrigins(entries, in);
            }
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

    /** The version byte that starts the part format 2 added. */
    private static int version(DataInputStream in) throws IOException {
        int version = in.readUnsignedByte();
        if (version < 2 || version > VERSION) {
            throw new IOException("session format version " + version + " is not known");
        }
        return version;
    }

    /** The packet ids of incoming QoS 2 messages awaiting PUBREL (format 2). */
    private static List<Integer> incomingQos2(DataInputStream in) throws IOException {
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

    /** Each entry's identity, in the entries' order (format 3). */
    private static byte[] origins(List<StoredEntry> entries) {
        int size = 0;
        for (StoredEntry e : entries) {
            size += OriginBytes.size(e.origin());
        }
        ByteBuffer bytes = ByteBuffer.allocate(size);
        entries.forEach(e -> OriginBytes.put(bytes, e.origin()));
        return bytes.array();
    }

    private static List<StoredEntry> withOrigins(List<StoredEntry> entries, DataInputStream in) throws IOException {
        ByteBuffer origins = ByteBuffer.wrap(in.readAllBytes());
        List<StoredEntry> identified = new ArrayList<>(entries.size());
        try {
            for (StoredEntry e : entries) {
                identified.add(e.withOrigin(OriginBytes.get(origins)));
            }
        } catch (BufferUnderflowException e) {
            throw new IOException("entry identities cut short");
        }
        if (origins.hasRemaining()) {
            throw new IOException(origins.remaining() + " unexpected bytes at the end");
        }
        return identified;
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
