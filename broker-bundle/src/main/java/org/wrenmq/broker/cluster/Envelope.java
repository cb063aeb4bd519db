package org.wrenmq.broker.cluster;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.wrenmq.broker.message.Publication;
import org.wrenmq.broker.store.PublicationBytes;
import org.wrenmq.broker.store.StoreCorruptException;

/**
 * A message forwarded to one node: its number among the QoS 0 messages the sending node sent to that node, the
 * shared subscription groups the sending node picked that node for, then the message in the store's format.
 * Format: a version byte, the number (8 bytes, version 2 on), the number of groups, each group's name and filter,
 * the message.
 *
 * @param sequence     1, 2, 3... for the QoS 0 messages from one node to another (the receiver counts the gaps:
 *                     messages lost on the way), and separately for its QoS 1/2 messages (their ring buffer counts
 *                     losses); the receiver reports the last numbers it routed ({@link ForwardingWindow}); 0 when
 *                     not numbered (a node of an earlier version)
 * @param sharedGroups the shared groups whose member on the receiving node takes the message
 */
record Envelope(long sequence, List<GroupKey> sharedGroups, Publication publication) {
    private static final int VERSION = 2;
    /** Where the sequence number is in an envelope's bytes. */
    private static final int SEQUENCE_OFFSET = 1;

    /** One shared subscription group: {@code $share/NAME/FILTER}. */
    record GroupKey(String name, String topicFilter) {
    }

    static byte[] write(List<GroupKey> groups, byte[] publication) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream(publication.length + 8 + groups.size() * 32);
        try (DataOutputStream out = new DataOutputStream(bytes)) {
            out.writeByte(VERSION);
            out.writeLong(0);
            out.writeShort(groups.size());
            for (GroupKey g : groups) {
                out.writeUTF(g.name());
                out.writeUTF(g.topicFilter());
            }
            out.write(publication);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return bytes.toByteArray();
    }

    /** Numbers an envelope {@link #write} made. */
    static void number(byte[] envelope, long sequence) {
        ByteBuffer.wrap(envelope).putLong(SEQUENCE_OFFSET, sequence);
    }

    /** @throws StoreCorruptException for bytes that are not an envelope of this version or older */
    static Envelope read(byte[] bytes) {
        try {
            ByteArrayInputStream in = new ByteArrayInputStream(bytes);
            DataInputStream data = new DataInputStream(in);
            int version = data.readUnsignedByte();
            if (version < 1 || version > VERSION) {
                throw new StoreCorruptException("forwarded message of unknown version " + version);
            }
            long sequence = version >= 2 ? data.readLong() : 0;
            int n = data.readUnsignedShort();
            List<GroupKey> groups = n == 0 ? List.of() : new ArrayList<>(n);
            for (int i = 0; i < n; i++) {
                groups.add(new GroupKey(data.readUTF(), data.readUTF()));
            }
            byte[] rest = Arrays.copyOfRange(bytes, bytes.length - in.available(), bytes.length);
            return new Envelope(sequence, groups, PublicationBytes.decode(rest));
        } catch (IOException e) {
            throw new StoreCorruptException("forwarded message cut short: " + e.getMessage());
        }
    }
}
