package org.wrenmq.broker.cluster;

import java.nio.BufferUnderflowException;
import java.nio.ByteBuffer;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import org.wrenmq.broker.message.Origin;
import org.wrenmq.broker.session.Session;
import org.wrenmq.broker.store.OriginBytes;
import org.wrenmq.broker.store.StoreCorruptException;
import org.wrenmq.broker.store.StoredEntry;

/**
 * The sessions this node adopted from a node that left, and which messages came with the adoption: should that node
 * come back after a split brain still holding its own copy of a session, one copy ends and hands its messages to
 * the other ({@link SplitHandOver}), and these tell the messages both copies had apart from those only one had. A
 * message is known by its identity ({@link Origin}), the same on every node. Kept while the adopted session lives
 * here (an identity per message queued or finished at the adoption), and carried with it when it moves on to another
 * node ({@link SessionMoves}), which then tells them apart the same way.
 */
final class AdoptedCopies {
    private final Map<String, Copy> copies = new ConcurrentHashMap<>();

    /**
     * @param from         the node the session was adopted from
     * @param shared       the identities of the messages both copies had at the adoption: mirrored (queued, or
     *                     finished by the client) and replayed from the node's ring buffer
     * @param unidentified the entry numbers here of messages that came with the adoption without an identity: one
     *                     stored or mirrored by a node of the previous version (a move and the store keep each one)
     */
    record Copy(UUID from, Session session, Set<Origin> shared, Set<Long> unidentified) {
        /** Whether both copies had the message {@code origin} (null: not known). */
        boolean had(Origin origin) {
            return origin != null && shared.contains(origin);
        }

        /** Whether this copy's entry {@code e} came with the adoption: the copy adopted from has it, or had it. */
        boolean cameWithAdoption(StoredEntry e) {
            return e.origin() == null ? unidentified.contains(e.seq()) : shared.contains(e.origin());
        }
    }

    /**
     * {@code session} was adopted from {@code from}, with the entries {@code entries} (numbered here); the mirror
     * held the messages {@code mirrored} (queued or finished); on the cluster writer thread.
     */
    void adopted(UUID from, Session session, Set<Origin> mirrored, List<StoredEntry> entries) {
        copies.values().removeIf(c -> c.session().hasEnded());
        Set<Origin> shared = new HashSet<>(mirrored);
        Set<Long> unidentified = new HashSet<>();
        for (StoredEntry e : entries) {
            if (e.origin() == null) {
                unidentified.add(e.seq());
            } else {
                shared.add(e.origin());
            }
        }
        copies.put(session.clientId(), new Copy(from, session, shared, unidentified));
    }

    /**
     * {@code session} moved in from another node with what its adoption brought ({@link #carried}): entry numbers
     * are the old node's, so only the identities travel.
     */
    void movedIn(Carried carried, Session session) {
        copies.values().removeIf(c -> c.session().hasEnded());
        copies.put(session.clientId(), new Copy(carried.from(), session, carried.shared(), Set.of()));
    }

    /** What {@code session} got with its adoption here, or null (not adopted here, or since ended and begun anew). */
    Copy of(Session session) {
        Copy c = copies.get(session.clientId());
        return c != null && c.session() == session ? c : null;
    }

    /** What an adopted session takes along when it moves on: where it was adopted from, and what came with it. */
    record Carried(UUID from, Set<Origin> shared) {
        /** The node adopted from, the count, then each identity ({@link OriginBytes#BYTES}). */
        byte[] encode() {
            ByteBuffer out = ByteBuffer.allocate(16 + Integer.BYTES + shared.size() * OriginBytes.BYTES)
                    .putLong(from.getMostSignificantBits()).putLong(from.getLeastSignificantBits())
                    .putInt(shared.size());
            shared.forEach(origin -> OriginBytes.putPresent(out, origin));
            return out.array();
        }

        static Carried read(ByteBuffer in) throws StoreCorruptException {
            try {
                UUID from = new UUID(in.getLong(), in.getLong());
                int count = in.getInt();
                if (count < 0 || (long) count * OriginBytes.BYTES > in.remaining()) {
                    throw new StoreCorruptException("an adoption of " + count + " message(s) in "
                            + in.remaining() + " bytes");
                }
                Set<Origin> shared = new HashSet<>();
                for (int i = 0; i < count; i++) {
                    shared.add(OriginBytes.getPresent(in));
                }
                return new Carried(from, shared);
            } catch (BufferUnderflowException e) {
                throw new StoreCorruptException("an adoption cut short");
            }
        }
    }

    /**
     * What {@code session} takes along when it moves on from here, or null (not adopted). Kept here until the next
     * adoption or move in: a hand-over taken in while the session ends still leaves out what came with it.
     */
    Carried movingOn(Session session) {
        Copy c = of(session);
        return c == null ? null : new Carried(c.from(), c.shared());
    }
}
