package org.wrenmq.broker.store;

import org.wrenmq.api.QoS;

/**
 * One message in one persistent session's queue, in the store: which message, at which QoS, and whether its PUBREL
 * went out. {@code seq} orders a session's entries and also gives the packet id the message is sent with, so a
 * message resent after a restart keeps its packet id without a write at send time.
 */
public record StoredEntry(long seq, long messageId, QoS qos, boolean retainFlag, int[] subscriptionIds,
                          boolean released) {

    /** The packet id for this entry: a function of seq, 1..65535. */
    public int packetId() {
        return packetIdOf(seq);
    }

    /** The packet id of the entry numbered {@code seq}. */
    public static int packetIdOf(long seq) {
        return (int) ((seq - 1) % 65_535) + 1;
    }

    /**
     * The lowest sequence number after {@code after} whose {@link #packetId()} is {@code packetId}: numbers a
     * session's entries anew (a move to another node) while each keeps the packet id the client knows it by.
     */
    public static long seqAfter(long after, int packetId) {
        long next = after + 1;
        int nextId = packetIdOf(next);
        return next + Math.floorMod(packetId - nextId, 65_535);
    }

    public StoredEntry asReleased() {
        return new StoredEntry(seq, messageId, qos, retainFlag, subscriptionIds, true);
    }
}
