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
import java.util.UUID;
import org.wrenmq.broker.message.Origin;
import org.wrenmq.broker.message.Publication;
import org.wrenmq.broker.store.PublicationBytes;
import org.wrenmq.broker.store.StoreCorruptException;

/**
 * A message forwarded to one node: its number among the QoS 0 messages the sending node sent to that node, the
 * message's identity cluster-wide, the shared subscription groups the sending node picked that node for, the other
 * nodes it went to, then the message in the store's format.
 * Format: a version byte, the number (8 bytes, version 2 on), then from version 3 on a kind byte (no identity, a
 * numbered message, a {@link #switched} mark) and the identity (origin node, and its number for a message); the
 * number of groups, each group's name and filter; from version 3 on the number of nodes it was sent to (0 when one)
 * and each id; the message. What has neither identity nor several nodes is written as version 2, which nodes of
 * the previous version read.
 *
 * @param sequence     1, 2, 3... for the QoS 0 messages from one node to another (the receiver counts the gaps:
 *                     messages lost on the way), and separately for its QoS 1/2 messages (their ring buffer counts
 *                     losses); the receiver reports the last numbers it routed ({@link ForwardingWindow}); 0 when
 *                     not numbered (a node of an earlier version)
 * @param origin       the node that routed the message first and its number there, the same in every copy; null
 *                     when not numbered (QoS 0, a node of an earlier version)
 * @param sharedGroups the shared groups whose member on the receiving node takes the message
 * @param sentTo       every node the sending node sent this message to, when more than one (a session moving
 *                     between two of them gets it from the new node, not through the old one: {@link MoveStub})
 * @param publication  the message; null in a {@link #switched} mark
 */
record Envelope(long sequence, Origin origin, List<GroupKey> sharedGroups, List<UUID> sentTo,
                Publication publication) {
    private static final int VERSION = 3;
    private static final int NO_ORIGIN = 0;
    private static final int NUMBERED = 1;
    private static final int SWITCHED = 2;
    /** Where the sequence number is in an envelope's bytes. */
    private static final int SEQUENCE_OFFSET = 1;

    /** One shared subscription group: {@code $share/NAME/FILTER}. */
    record GroupKey(String name, String topicFilter) {
    }

    static byte[] write(List<GroupKey> groups, byte[] publication) {
        return write(null, groups, List.of(), publication);
    }

    static byte[] write(Origin origin, List<GroupKey> groups, List<UUID> sentTo, byte[] publication) {
        return write(origin == null ? NO_ORIGIN : NUMBERED, origin, groups, sentTo, publication);
    }

    /**
     * The mark {@code node} writes into a dead node's ring buffer once it sends that node nothing more (its filters
     * left this node's tree): what {@code node} wrote there before is all before the mark.
     */
    static byte[] switched(UUID node) {
        return write(SWITCHED, new Origin(node, 0), List.of(), List.of(), new byte[0]);
    }

    boolean isSwitchedMark() {
        return publication == null;
    }

    private static byte[] write(int kind, Origin origin, List<GroupKey> groups, List<UUID> sentTo,
                                byte[] publication) {
        boolean previousVersion = kind == NO_ORIGIN && sentTo.isEmpty();
        ByteArrayOutputStream bytes = new ByteArrayOutputStream(publication.length + 35 + groups.size() * 32
                + sentTo.size() * 16);
        try (DataOutputStream out = new DataOutputStream(bytes)) {
            out.writeByte(previousVersion ? 2 : VERSION);
            out.writeLong(0);
            if (!previousVersion) {
                out.writeByte(kind);
                if (kind != NO_ORIGIN) {
                    out.writeLong(origin.node().getMostSignificantBits());
                    out.writeLong(origin.node().getLeastSignificantBits());
                }
                if (kind == NUMBERED) {
                    out.writeLong(origin.seq());
                }
            }
            out.writeShort(groups.size());
            for (GroupKey g : groups) {
                out.writeUTF(g.name());
                out.writeUTF(g.topicFilter());
            }
            if (!previousVersion) {
                out.writeShort(sentTo.size());
                for (UUID node : sentTo) {
                    out.writeLong(node.getMostSignificantBits());
                    out.writeLong(node.getLeastSignificantBits());
                }
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
            int kind = version >= 3 ? data.readUnsignedByte() : NO_ORIGIN;
            if (kind > SWITCHED) {
                throw new StoreCorruptException("forwarded message of unknown kind " + kind);
            }
            UUID node = kind == NO_ORIGIN ? null : new UUID(data.readLong(), data.readLong());
            Origin origin = kind == NO_ORIGIN ? null : new Origin(node, kind == NUMBERED ? data.readLong() : 0);
            if (kind == SWITCHED) {
                return new Envelope(sequence, origin, List.of(), List.of(), null);
            }
            int n = data.readUnsignedShort();
            List<GroupKey> groups = n == 0 ? List.of() : new ArrayList<>(n);
            for (int i = 0; i < n; i++) {
                groups.add(new GroupKey(data.readUTF(), data.readUTF()));
            }
            int m = version >= 3 ? data.readUnsignedShort() : 0;
            List<UUID> sentTo = m == 0 ? List.of() : new ArrayList<>(m);
            for (int i = 0; i < m; i++) {
                sentTo.add(new UUID(data.readLong(), data.readLong()));
            }
            byte[] rest = Arrays.copyOfRange(bytes, bytes.length - in.available(), bytes.length);
            return new Envelope(sequence, origin, groups, sentTo, PublicationBytes.decode(rest));
        } catch (IOException e) {
            throw new StoreCorruptException("forwarded message cut short: " + e.getMessage());
        }
    }
}
