package org.wrenmq.broker.cluster;

import com.hazelcast.core.HazelcastInstance;
import com.hazelcast.map.EntryProcessor;
import com.hazelcast.map.IMap;
import com.hazelcast.query.Predicate;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Executor;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import org.wrenmq.broker.message.Origin;
import org.wrenmq.broker.message.Publication;
import org.wrenmq.broker.store.SessionBytes;
import org.wrenmq.broker.store.StoredEntry;
import org.wrenmq.broker.store.StoredSession;

/**
 * The persistent sessions of every node, kept in the cluster with {@code cluster_backup_count} backups so that a
 * surviving node can adopt them when their node dies. Two maps, both in {@link SessionBytes}' format (the one a
 * session move sends, so the mirror carries whatever a move carries):
 * <ul>
 *   <li>{@code wrenmq.sessions}: per client id, the node that holds the session and its record (subscriptions,
 *   expiry, will), without messages;</li>
 *   <li>{@code wrenmq.session-messages}: per node, client id and entry number, one queued or in-flight QoS 1/2
 *   message (with whether its PUBREL went out), written when the node's store writes it and removed when the client
 *   finished it; per node, client id and packet id, an incoming QoS 2 message awaiting PUBREL.</li>
 * </ul>
 * A finished message that came through the node's ring buffer leaves a tombstone holding its ring buffer position
 * until the node recorded that it mirrored past it ({@link InboxProgress}): an adopter replaying the ring buffer from
 * the position recorded knows the session had it.
 * An entry's key starts with its node's id, so the keys of two nodes never meet (a session moving from one to the
 * other writes new ones while the old ones are removed).
 *
 * <p>A message entry's value ({@link MirrorValue}) holds the message's ring buffer position and, from format 3 on,
 * its identity ({@link Origin}), by which an adopter recognises the copy its own ring buffer still brings.
 */
final class SessionMirror {
    static final String HEADERS = HazelcastSetup.MAP_PREFIX + "sessions";
    static final String MESSAGES = HazelcastSetup.MAP_PREFIX + "session-messages";
    /** Client ids are UTF-8 strings without U+0000 [MQTT-1.5.4-2]: it separates a key's client id from its number. */
    private static final char SEPARATOR = '\0';
    private static final int UUID_BYTES = 16;

    private final UUID self;
    private final IMap<String, byte[]> headers;
    private final IMap<String, byte[]> messages;
    /** Message writes not confirmed yet, by key: a removal waits for the write, so it never arrives first. */
    private final Map<String, CompletableFuture<Void>> writing = new ConcurrentHashMap<>();
    /** The ring buffer positions of the messages mirrored that came through it, by key. */
    private final Map<String, Long> ringPositions = new ConcurrentHashMap<>();
    /** Tombstones written, deleted once this node recorded a position at or after theirs. */
    private final Queue<Tombstone> tombstones = new ConcurrentLinkedQueue<>();

    private record Tombstone(String key, long ringSeq, CompletableFuture<Void> written) {
    }
    /**
     * Where what waits for a mirror write runs (a removal, a publisher's acknowledgement): one thread of the
     * mirror's own, as a Hazelcast thread must not invoke other operations.
     */
    private final Executor completions = completions();

    SessionMirror(HazelcastInstance hazelcast) {
        this.self = NodeIds.self(hazelcast);
        this.headers = hazelcast.getMap(HEADERS);
        this.messages = hazelcast.getMap(MESSAGES);
    }

    UUID self() {
        return self;
    }

    /** The session's record, owned by this node (its messages are written one by one). */
    CompletionStage<Void> putSession(StoredSession s) {
        return onCompletions(headers.setAsync(s.clientId(), header(self, withoutMessages(s))));
    }

    /**
     * Removes the session's record if this node still owns it, and this node's messages of it (on {@code writer}:
     * the removal by key prefix blocks), after the writes of them still under way.
     */
    void removeSession(String clientId, Executor writer) {
        headers.submitToKey(clientId, new RemoveIfOwnedBy(self));
        String prefix = prefix(self, clientId);
        CompletableFuture<?>[] before = writing.entrySet().stream().filter(e -> e.getKey().startsWith(prefix))
                .map(Map.Entry::getValue).toArray(CompletableFuture[]::new);
        ringPositions.keySet().removeIf(key -> key.startsWith(prefix));
        CompletableFuture.allOf(before).whenComplete((ok, failure) -> writer.execute(
                () -> messages.removeAll(new KeyPrefix(prefix))));
    }

    /**
     * @param ringSeq where this node's QoS 1/2 ring buffer had the message, or -1 when it was published here: an
     *                adopter replays the ring buffer's tail, less what a session has already
     */
    CompletionStage<Void> putMessage(String clientId, StoredEntry entry, Publication p, long ringSeq) {
        String key = key(self, clientId, entry.seq());
        if (ringSeq >= 0) {
            ringPositions.put(key, ringSeq);
        }
        return write(key, ringSeq, entry.origin(), new StoredSession(clientId, 0, 0, List.of(), null, 0,
                List.of(entry), List.of(), Map.of(entry.messageId(), p)));
    }

    /**
     * The client finished the message: it leaves the mirror, or leaves a tombstone (with the message's identity, if
     * known) if it came through the ring.
     */
    void removeMessage(String clientId, StoredEntry entry) {
        String key = key(self, clientId, entry.seq());
        Long ringSeq = ringPositions.remove(key);
        afterWrite(key, ringSeq == null ? () -> messages.deleteAsync(key) : () -> tombstones.add(new Tombstone(key,
                ringSeq, messages.setAsync(key, MirrorValue.tombstone(ringSeq, entry.origin()))
                        .toCompletableFuture())));
    }

    /** This node recorded that it mirrored its ring buffer through {@code position}: older tombstones go. */
    void mirroredThrough(long position) {
        tombstones.removeIf(t -> {
            if (t.ringSeq() > position) {
                return false;
            }
            t.written().whenComplete((ok, failure) -> messages.deleteAsync(t.key()));
            return true;
        });
    }

    /** The write of a message's entry still under way, or null. */
    CompletableFuture<Void> writing(String clientId, long seq) {
        return writing.isEmpty() ? null : writing.get(key(self, clientId, seq));
    }

    /** The message's PUBREL went out: an adopter sends PUBREL again, not the message [MQTT-4.3.3-1]. */
    CompletionStage<Void> markReleased(String clientId, long seq) {
        String key = key(self, clientId, seq);
        CompletableFuture<Void> before = writing.getOrDefault(key, CompletableFuture.completedFuture(null));
        return before.handle((ok, failure) -> null).thenCompose(ok -> messages.submitToKey(key, new Released()))
                .thenApply(ok -> null);
    }

    /** An incoming QoS 2 message awaits its PUBREL: a resent copy is not routed again on an adopter either. */
    CompletionStage<Void> putIncomingQos2(String clientId, int packetId) {
        return write(incomingKey(self, clientId, packetId), -1, null, new StoredSession(clientId, 0, 0, List.of(),
                null, 0, List.of(), List.of(packetId), Map.of()));
    }

    void removeIncomingQos2(String clientId, int packetId) {
        String key = incomingKey(self, clientId, packetId);
        afterWrite(key, () -> messages.deleteAsync(key));
    }

    private CompletionStage<Void> write(String key, long ringSeq, Origin origin, StoredSession one) {
        byte[] value = MirrorValue.of(ringSeq, origin, messageBytes(one));
        CompletableFuture<Void> written = onCompletions(messages.setAsync(key, value));
        writing.put(key, written);
        written.whenComplete((ok, failure) -> writing.remove(key, written));
        return written;
    }

    private void afterWrite(String key, Runnable change) {
        CompletableFuture<Void> before = writing.get(key);
        if (before == null) {
            change.run();
        } else {
            before.whenComplete((ok, failure) -> change.run());
        }
    }

    /** The node that holds {@code clientId}'s session per the mirror, or null when the mirror has none. */
    UUID owner(String clientId) {
        byte[] value = headers.get(clientId);
        return value == null ? null : ownerOf(value);
    }

    /**
     * A session a dead node held, with its messages in order.
     *
     * @param ringSeqs for its messages that came through the dead node's ring buffer: their entry's number and
     *                 their position there
     * @param had      the ring buffer positions of those messages and of those the client had finished
     * @param hadIds   the identities of its messages and of those the client had finished, where the mirror
     *                 recorded them (written by a node of this version)
     */
    record Held(StoredSession session, Map<Long, Long> ringSeqs, Set<Long> had, Set<Origin> hadIds) {
        boolean has(long ringSeq) {
            return had.contains(ringSeq);
        }

        boolean has(Origin origin) {
            return origin != null && hadIds.contains(origin);
        }
    }

    /**
     * Whether {@code clientId}'s session belongs to a node that left and is still to be adopted (asynchronous: asked
     * on Hazelcast's threads).
     */
    CompletionStage<Boolean> awaitingAdoption(String clientId, java.util.function.Predicate<UUID> isMember) {
        return headers.getAsync(clientId).thenApply(v -> v != null && !isMember.test(ownerOf(v)));
    }

    /** The sessions {@code node} held, with their messages in order: what a survivor adopts when it died. */
    List<Held> sessionsOf(UUID node) {
        Map<String, List<StoredSession>> messagesByClient = new LinkedHashMap<>();
        Map<String, Map<Long, Long>> fromRing = new HashMap<>();
        Map<String, Set<Long>> had = new HashMap<>();
        Map<String, Set<Origin>> hadIds = new HashMap<>();
        for (Map.Entry<String, byte[]> e : messages.entrySet(new KeyPrefix(node.toString()))) {
            MirrorValue value = MirrorValue.read(e.getValue());
            long ringSeq = value.ringSeq();
            if (value.isTombstone()) {
                String key = e.getKey();
                String clientId = key.substring(node.toString().length(), key.lastIndexOf(SEPARATOR));
                had.computeIfAbsent(clientId, id -> new HashSet<>()).add(ringSeq);
                if (value.origin() != null) {
                    hadIds.computeIfAbsent(clientId, id -> new HashSet<>()).add(value.origin());
                }
                continue;
            }
            StoredSession one = value.message();
            messagesByClient.computeIfAbsent(one.clientId(), id -> new ArrayList<>()).add(one);
            if (value.origin() != null) {
                hadIds.computeIfAbsent(one.clientId(), id -> new HashSet<>()).add(value.origin());
            }
            if (ringSeq >= 0 && !one.entries().isEmpty()) {
                fromRing.computeIfAbsent(one.clientId(), id -> new HashMap<>()).put(one.entries().get(0).seq(),
                        ringSeq);
                had.computeIfAbsent(one.clientId(), id -> new HashSet<>()).add(ringSeq);
            }
        }
        List<Held> sessions = new ArrayList<>();
        for (Map.Entry<String, byte[]> e : headers.entrySet(new OwnedBy(node))) {
            StoredSession record = SessionBytes.decode(Arrays.copyOfRange(e.getValue(), UUID_BYTES,
                    e.getValue().length));
            List<StoredEntry> entries = new ArrayList<>();
            Map<Long, Publication> publications = new HashMap<>();
            Set<Integer> incomingQos2 = new java.util.TreeSet<>(record.incomingQos2());
            for (StoredSession one : messagesByClient.getOrDefault(record.clientId(), List.of())) {
                entries.addAll(one.entries());
                publications.putAll(one.messages());
                incomingQos2.addAll(one.incomingQos2());
            }
            entries.sort(Comparator.comparingLong(StoredEntry::seq));
            sessions.add(new Held(new StoredSession(record.clientId(), record.expiryIntervalSeconds(),
                    record.disconnectedAtMillis(), record.subscriptions(), record.will(), record.willDelaySeconds(),
                    entries, List.copyOf(incomingQos2), publications),
                    fromRing.getOrDefault(record.clientId(), Map.of()),
                    had.getOrDefault(record.clientId(), Set.of()),
                    hadIds.getOrDefault(record.clientId(), Set.of())));
        }
        return sessions;
    }

    /** Drops what is left of a node's messages once its sessions were adopted (the adopter wrote its own). */
    void forget(UUID node) {
        messages.removeAll(new KeyPrefix(node.toString()));
    }

    /** {@code write}, completing on {@link #completions}. */
    private CompletableFuture<Void> onCompletions(CompletionStage<Void> write) {
        CompletableFuture<Void> done = new CompletableFuture<>();
        write.whenCompleteAsync((ok, failure) -> {
            if (failure == null) {
                done.complete(null);
            } else {
                done.completeExceptionally(failure);
            }
        }, completions);
        return done;
    }

    private static Executor completions() {
        ThreadPoolExecutor one = new ThreadPoolExecutor(1, 1, 1, TimeUnit.SECONDS, new LinkedBlockingQueue<>(), r -> {
            Thread t = new Thread(r, "wrenmq-cluster-mirror");
            t.setDaemon(true);
            return t;
        });
        one.allowCoreThreadTimeOut(true); // ends after a second idle: a stopped node leaves no thread behind
        return one;
    }

    /** The record without its messages and incoming QoS 2 packet ids: each has a key of its own. */
    private static StoredSession withoutMessages(StoredSession s) {
        return s.entries().isEmpty() && s.incomingQos2().isEmpty() ? s : new StoredSession(s.clientId(),
                s.expiryIntervalSeconds(), s.disconnectedAtMillis(), s.subscriptions(), s.will(), s.willDelaySeconds(),
                List.of(), List.of(), Map.of());
    }

    /**
     * A message's value without its entry's identity: the value's prefix holds it ({@link MirrorValue}), and
     * without it the message keeps the format nodes of the previous version read.
     */
    private static byte[] messageBytes(StoredSession one) {
        if (one.entries().stream().allMatch(e -> e.origin() == null)) {
            return SessionBytes.encode(one);
        }
        return SessionBytes.encode(new StoredSession(one.clientId(), one.expiryIntervalSeconds(),
                one.disconnectedAtMillis(), one.subscriptions(), one.will(), one.willDelaySeconds(),
                one.entries().stream().map(e -> e.withOrigin(null)).toList(), one.incomingQos2(), one.messages()));
    }

    private static byte[] header(UUID owner, StoredSession s) {
        byte[] record = SessionBytes.encode(s);
        return ByteBuffer.allocate(UUID_BYTES + record.length).putLong(owner.getMostSignificantBits())
                .putLong(owner.getLeastSignificantBits()).put(record).array();
    }

    static UUID ownerOf(byte[] header) {
        ByteBuffer b = ByteBuffer.wrap(header);
        return new UUID(b.getLong(), b.getLong());
    }

    private static String prefix(UUID node, String clientId) {
        return node.toString() + clientId + SEPARATOR;
    }

    private static String key(UUID node, String clientId, long seq) {
        return prefix(node, clientId) + seq;
    }

    private static String incomingKey(UUID node, String clientId, int packetId) {
        return prefix(node, clientId) + "in" + packetId;
    }

    /** Message keys starting with a node's id (all its messages) or a node's id and a client id. */
    static final class KeyPrefix implements Predicate<String, byte[]> {
        private static final long serialVersionUID = 1L;
        private final String prefix;

        KeyPrefix(String prefix) {
            this.prefix = prefix;
        }

        @Override
        public boolean apply(Map.Entry<String, byte[]> entry) {
            return entry.getKey().startsWith(prefix);
        }
    }

    /** Session records held by one node. */
    static final class OwnedBy implements Predicate<String, byte[]> {
        private static final long serialVersionUID = 1L;
        private final UUID node;

        OwnedBy(UUID node) {
            this.node = node;
        }

        @Override
        public boolean apply(Map.Entry<String, byte[]> entry) {
            return entry.getValue() != null && node.equals(ownerOf(entry.getValue()));
        }
    }

    /** Marks a mirrored message's PUBREL as sent, where the entry is kept (a message's bytes stay there). */
    static final class Released implements EntryProcessor<String, byte[], Boolean> {
        private static final long serialVersionUID = 1L;

        @Override
        public Boolean process(Map.Entry<String, byte[]> entry) {
            if (entry.getValue() == null) {
                return false;
            }
            MirrorValue value = MirrorValue.read(entry.getValue());
            if (value.isTombstone()) {
                return false;
            }
            StoredSession one = value.message();
            entry.setValue(value.withMessage(messageBytes(new StoredSession(one.clientId(), 0, 0, List.of(),
                    null, 0, List.of(one.entries().get(0).asReleased()), List.of(), one.messages()))));
            return true;
        }
    }

    /**
     * Removes a session record only if it still names the node that ends the session: a session that moved to
     * another node (which wrote its own record) keeps it.
     */
    static final class RemoveIfOwnedBy implements EntryProcessor<String, byte[], Boolean> {
        private static final long serialVersionUID = 1L;
        private final UUID node;

        RemoveIfOwnedBy(UUID node) {
            this.node = node;
        }

        @Override
        public Boolean process(Map.Entry<String, byte[]> entry) {
            if (entry.getValue() != null && node.equals(ownerOf(entry.getValue()))) {
                entry.setValue(null);
                return true;
            }
            return false;
        }
    }
}
