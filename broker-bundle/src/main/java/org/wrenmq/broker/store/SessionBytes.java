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
 * A whole session as bytes (its record, queued and in-flight entries, the messages they refer to), built from the
 * store's own records: what a cluster node hands to the node a persistent session moves to.
 */
public final class SessionBytes {

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
            return new StoredSession(clientId, record.expiryIntervalSeconds(), record.disconnectedAtMillis(),
                    record.subscriptions(), record.will(), record.willDelaySeconds(), entries, List.of(), messages);
        } catch (IOException e) {
            throw new StoreCorruptException("unreadable session: " + e);
        }
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
