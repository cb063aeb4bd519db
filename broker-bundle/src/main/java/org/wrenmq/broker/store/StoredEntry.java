package org.wrenmq.broker.store;

import org.wrenmq.api.QoS;
import org.wrenmq.broker.message.Origin;

/**
 * One message in one persistent session's queue, in the store: which message, at which QoS, and whether its PUBREL
 * went out. {@code seq} orders a session's entries and also gives the packet id the message is sent with, so a
 * message resent after a restart keeps its packet id without a write at send time.
 *
 * @param origin the message's identity cluster-wide ({@link #origin()}), or null
 */
public record StoredEntry(long seq, long messageId, QoS qos, boolean retainFlag, int[] subscriptionIds,
                          boolean released, Origin origin) {

    /** An entry whose message has no identity known here (a single broker, QoS 0 routing, an older store). */
    public StoredEntry(long seq, long messageId, QoS qos, boolean retainFlag, int[] subscriptionIds,
                       boolean released) {
        this(seq, messageId, qos, retainFlag, subscriptionIds, released, null);
    }

    /**
     * The message's identity cluster-wide (the node it was published on and its number there), when this node
     * routed it in a cluster or read it from the cluster's mirror of sessions (written by a node of this version);
     * null otherwise. Kept in memory, in the mirror and in the node's own store: a message two ways (a ring buffer
     * and the mirror, two session copies after a split brain) is recognised by it.
     */
    @Override
    public Origin origin() {
        return origin;
    }

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

    /** This entry, its message known by {@code origin} (read from the mirror, where it is kept apart). */
    public StoredEntry withOrigin(Origin origin) {
        return new StoredEntry(seq, messageId, qos, retainFlag, subscriptionIds, released, origin);
    }

    public StoredEntry asReleased() {
        return new StoredEntry(seq, messageId, qos, retainFlag, subscriptionIds, true, origin);
    }
}
