package org.wrenmq.broker.cluster;

import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import org.wrenmq.broker.message.Publication;
import org.wrenmq.broker.session.Session;
import org.wrenmq.broker.store.StoredEntry;

/**
 * The sessions this node adopted from a node that left, and which of their messages came with the adoption: should
 * that node come back after a split brain still holding its own copy of a session, one copy ends and hands its
 * messages to the other ({@link SplitHandOver}), and these tell the messages both copies had apart from those only
 * one had. A message is known by the number its entry had on the node that left (the mirror's key; its publication's
 * fingerprint too, should a new session there have numbered from 1 again) and, on this node, by its entry's number
 * here. Kept while the adopted session lives here (a few numbers per message queued at the adoption).
 */
final class AdoptedCopies {
    private final Map<String, Copy> copies = new ConcurrentHashMap<>();

    /**
     * @param from     the node the session was adopted from
     * @param fromSeqs that node's entry numbers of the messages adopted, each with its publication's fingerprint
     * @param ownSeqs  the entry numbers those messages (and those replayed from its ring buffer) have here
     */
    record Copy(UUID from, Session session, Map<Long, Integer> fromSeqs, Set<Long> ownSeqs) {
        /** Whether the message numbered {@code seq} on {@link #from} came with the adoption. */
        boolean adopted(long seq, Publication p) {
            Integer fingerprint = fromSeqs.get(seq);
            return fingerprint != null && fingerprint == fingerprint(p);
        }
    }

    /** {@code session} was adopted from {@code from}; on the cluster writer thread. */
    void adopted(UUID from, Session session, List<StoredEntry> fromEntries, Map<Long, Publication> fromMessages,
                 List<StoredEntry> ownEntries) {
        copies.values().removeIf(c -> c.session().hasEnded());
        Map<Long, Integer> fromSeqs = new HashMap<>();
        fromEntries.forEach(e -> fromSeqs.put(e.seq(), fingerprint(fromMessages.get(e.messageId()))));
        Set<Long> ownSeqs = new HashSet<>();
        ownEntries.forEach(e -> ownSeqs.add(e.seq()));
        copies.put(session.clientId(), new Copy(from, session, fromSeqs, ownSeqs));
    }

    /** What {@code session} got with its adoption here, or null (not adopted here, or since ended and begun anew). */
    Copy of(Session session) {
        Copy c = copies.get(session.clientId());
        return c != null && c.session() == session ? c : null;
    }

    private static int fingerprint(Publication p) {
        return p == null ? 0 : 31 * p.topic().hashCode() + Arrays.hashCode(p.payload());
    }
}
