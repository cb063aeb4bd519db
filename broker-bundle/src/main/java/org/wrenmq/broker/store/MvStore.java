package org.wrenmq.broker.store;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongConsumer;
import org.h2.mvstore.Cursor;
import org.h2.mvstore.MVMap;
import org.h2.mvstore.MVStore;
import org.wrenmq.api.QoS;
import org.wrenmq.broker.message.Publication;

/**
 * The embedded store ({@code persistence true}): one H2 MVStore file, {@code wrenmq.db} in
 * {@code persistence_location}. No server to install.
 *
 * <p>Layout, one MVMap each:
 * <ul>
 * <li>{@code messages}: message id to message, each message once however many sessions hold it;
 * <li>{@code entries}: "clientId NUL seq(hex)" to entry, so one session's queue is one ordered key range;
 * <li>{@code incoming}: "clientId NUL packetId(hex)" for incoming QoS 2 messages awaiting PUBREL;
 * <li>{@code sessions}: client id to session (expiry, subscriptions, will);
 * <li>{@code retained}: topic to message.
 * </ul>
 * How many entries refer to each message is counted in memory (rebuilt at start-up); a message goes when its
 * last entry goes. MVStore writes are append-only chunks: a crash leaves the last complete commit readable.
 *
 * <p>Only the {@link GroupCommitter}'s thread writes the file (MVStore's own background writer is off): a commit
 * then serializes and writes on that thread instead of handing over to two MVStore threads and waiting for them,
 * which took about as long as the fsync. With {@code persistence_fsync true} a chunk whose data is dead may be
 * overwritten a few seconds later (not 45 s), since every commit is on disk before the next one starts: the file
 * then stays as large as its live data plus a few seconds of writes, and the fsync, a {@code fdatasync}, mostly
 * finds no file size to change.
 *
 * <p>The broker's threads do not write the maps themselves: they record {@link PendingWrites}, which the commit
 * thread applies. A queued message finished before its commit (a QoS 1 message its online subscriber acknowledged
 * quickly) is then never written, and a commit whose writes were all cancelled needs no fsync.
 */
public final class MvStore implements MessageStore {
    public static final String FILE_NAME = "wrenmq.db";
    private static final char SEPARATOR = '\u0000';
    /** How long dead chunks are kept with fsync on: enough for a reader still walking an older version of a map. */
    private static final int RETENTION_WITH_FSYNC_MILLIS = 5_000;
    /** Housekeeping rewrites the live pages of the sparsest chunks (up to this many bytes per round) ... */
    private static final int COMPACT_WRITE_BYTES = 1 << 20;
    /** ... when the chunks' live data falls below this percentage. */
    private static final int COMPACT_BELOW_FILL_RATE = 50;

    private final MVStore store;
    private final MVMap<Long, byte[]> messages;
    private final MVMap<String, byte[]> entries;
    private final MVMap<String, byte[]> incoming;
    private final MVMap<String, byte[]> sessions;
    private final MVMap<String, byte[]> retained;
    private final Map<Long, AtomicInteger> references = new ConcurrentHashMap<>();
    /** Writes not yet applied to the maps: only the commit thread touches the maps once the store is open. */
    private final PendingWrites pending = new PendingWrites();
    private final CommitGrace grace = new CommitGrace();
    /** Told the time of each commit that wrote (not of the waits that made one unnecessary). */
    private volatile LongConsumer commitObserver = nanos -> { };
    private final AtomicLong nextMessageId = new AtomicLong(1);
    private final GroupCommitter committer;
    /** Forces the file's data to disk: MVStore's own sync is an fsync; its file channel is not reachable. */
    private final FileChannel dataSync;

    /** @throws RuntimeException (MVStore's own, or {@link StoreCorruptException}) when the file is unreadable */
    public MvStore(Path file, boolean fsync, long syncIntervalMillis) {
        StoreFileHeader header = StoreFileHeader.read(file);
        this.store = new MVStore.Builder().fileName(file.toString()).autoCommitDisabled().open();
        try {
            header.checkOpenedVersion(store.getCurrentVersion());
            this.messages = store.openMap("messages");
            this.entries = store.openMap("entries");
            this.incoming = store.openMap("incoming");
            this.sessions = store.openMap("sessions");
            this.retained = store.openMap("retained");
            this.dataSync = fsync ? FileChannel.open(file, StandardOpenOption.READ) : null;
        } catch (IOException e) {
            store.closeImmediately();
            throw new UncheckedIOException("cannot open " + file + " for fdatasync", e);
        } catch (RuntimeException e) {
            store.closeImmediately();
            throw e;
        }
        if (fsync) {
            store.setRetentionTime(RETENTION_WITH_FSYNC_MILLIS);
        }
        this.committer = new GroupCommitter(this::commit, this::housekeeping, syncIntervalMillis,
                "wrenmq-store-commit");
    }

    /**
     * Makes durable what the waiting actions wait for: first waits a little ({@link CommitGrace}) for the new
     * messages among it to be finished by their subscribers, then, if a write is still needed, applies the pending
     * writes, commits, and forces the commit to disk with {@code persistence_fsync true}. Nothing is written when
     * every such write was cancelled or only removals are pending. On the commit thread.
     */
    private void commit() {
        PendingWrites.Generation waitedFor = pending.close();
        if (pending.hasUrgent(waitedFor) && grace.worthTrying()) {
            grace.tried(awaitCancelled(waitedFor));
        }
        if (pending.hasUrgent(waitedFor) || store.hasUnsavedChanges()) {
            long started = System.nanoTime();
            writeAndSync();
            long took = System.nanoTime() - started;
            grace.committed(took);
            commitObserver.accept(took);
        }
    }

    private boolean awaitCancelled(PendingWrites.Generation g) {
        try {
            return pending.awaitCancelled(g, grace.nanos());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    private void writeAndSync() {
        pending.apply();
        store.commit();
        if (dataSync != null) {
            try {
                dataSync.force(false);
            } catch (IOException e) {
                throw new UncheckedIOException("fdatasync of " + MvStore.FILE_NAME + " failed", e);
            }
        }
    }

    /** What MVStore's background writer did: compaction, and a commit of writes nobody waits for. */
    private void housekeeping() {
        store.compact(COMPACT_BELOW_FILL_RATE, COMPACT_WRITE_BYTES);
        if (!pending.isEmpty() || store.hasUnsavedChanges()) {
            writeAndSync();
        }
    }

    @Override
    public boolean durable() {
        return true;
    }

    @Override
    public long sizeBytes() {
        try {
            return store.getFileStore().size();
        } catch (RuntimeException closed) {
            return 0;
        }
    }

    @Override
    public void observeCommits(LongConsumer observer) {
        this.commitObserver = observer;
    }

    @Override
    public boolean writable() {
        return !store.isClosed() && committer.isRunning();
    }

    @Override
    public long addMessage(Publication p) {
        long id = nextMessageId.getAndIncrement();
        references.put(id, new AtomicInteger());
        pending.fresh(id, () -> messages.put(id, StoreCodec.message(p)));
        return id;
    }

    @Override
    public void addEntry(String clientId, StoredEntry entry) {
        references.get(entry.messageId()).incrementAndGet();
        pending.fresh(new EntryKey(clientId, entry.seq(), entry.messageId()), () -> putEntry(clientId, entry));
    }

    private void putEntry(String clientId, StoredEntry entry) {
        entries.put(key(clientId, entry.seq()), StoreCodec.entry(entry));
    }

    @Override
    public void markReleased(String clientId, StoredEntry entry) {
        StoredEntry released = entry.asReleased();
        Runnable write = () -> putEntry(clientId, released);
        if (!pending.replace(new EntryKey(clientId, entry.seq(), entry.messageId()), write)) {
            pending.urgent(write);
        }
    }

    @Override
    public void removeEntry(String clientId, StoredEntry entry) {
        if (pending.cancel(new EntryKey(clientId, entry.seq(), entry.messageId()))) {
            release(entry.messageId());
            return;
        }
        Runnable remove = () -> {
            if (entries.remove(key(clientId, entry.seq())) != null) {
                release(entry.messageId());
            }
        };
        if (entry.qos() == QoS.EXACTLY_ONCE) {
            // with the next commit, as before: a QoS 2 message restored after its PUBCOMP would arrive twice
            pending.urgent(remove);
        } else {
            pending.lazy(remove);
        }
    }

    /** One entry less refers to the message: the last one drops it (from the pending writes, or from the file). */
    private void release(long messageId) {
        AtomicInteger count = references.get(messageId);
        if (count != null && count.decrementAndGet() <= 0) {
            references.remove(messageId);
            if (!pending.cancel(messageId)) {
                pending.lazy(() -> messages.remove(messageId));
            }
        }
    }

    @Override
    public void addIncomingQos2(String clientId, int packetId) {
        String k = clientId + SEPARATOR + Integer.toHexString(packetId);
        pending.urgent(() -> incoming.put(k, new byte[0]));
    }

    @Override
    public void removeIncomingQos2(String clientId, int packetId) {
        String k = clientId + SEPARATOR + Integer.toHexString(packetId);
        pending.urgent(() -> incoming.remove(k));
    }

    @Override
    public void saveSession(StoredSession session) {
        pending.urgent(() -> sessions.put(session.clientId(), StoreCodec.session(session)));
    }

    @Override
    public void removeSession(String clientId) {
        for (EntryKey k : pending.cancelAll(EntryKey.class, k -> k.clientId.equals(clientId))) {
            release(k.messageId);
        }
        pending.urgent(() -> {
            sessions.remove(clientId);
            String prefix = clientId + SEPARATOR;
            for (String k : keysWithPrefix(entries, prefix)) {
                byte[] value = entries.remove(k);
                if (value != null) {
                    release(StoreCodec.entry(seq(k), value).messageId());
                }
            }
            keysWithPrefix(incoming, prefix).forEach(incoming::remove);
        });
    }

    @Override
    public void putRetained(Publication p) {
        if (p.payload().length == 0) {
            pending.urgent(() -> retained.remove(p.topic()));
        } else {
            pending.urgent(() -> retained.put(p.topic(), StoreCodec.message(p)));
        }
    }

    @Override
    public void afterCommit(Runnable action) {
        committer.afterCommit(action);
    }

    /**
     * Reads everything back. Entries whose session or message is missing are removed (they were left by a crash
     * between two writes); so are messages no entry refers to.
     *
     * @throws StoreCorruptException when a record cannot be read
     */
    @Override
    public Recovered recover() {
        Map<String, List<StoredEntry>> entriesByClient = new HashMap<>();
        long maxMessageId = 0;
        for (Iterator<String> it = entries.keyIterator(null); it.hasNext(); ) {
            String k = it.next();
            String clientId = k.substring(0, k.indexOf(SEPARATOR));
            StoredEntry e = StoreCodec.entry(seq(k), entries.get(k));
            if (!sessions.containsKey(clientId) || !messages.containsKey(e.messageId())) {
                entries.remove(k);
                continue;
            }
            entriesByClient.computeIfAbsent(clientId, c -> new ArrayList<>()).add(e);
            references.computeIfAbsent(e.messageId(), id -> new AtomicInteger()).incrementAndGet();
        }
        Set<Long> orphans = new HashSet<>();
        for (Long id : messages.keySet()) {
            maxMessageId = Math.max(maxMessageId, id);
            if (!references.containsKey(id)) {
                orphans.add(id);
            }
        }
        orphans.forEach(messages::remove);
        nextMessageId.set(maxMessageId + 1);

        List<StoredSession> out = new ArrayList<>();
        for (Map.Entry<String, byte[]> s : sessions.entrySet()) {
            String clientId = s.getKey();
            StoredSession stored = StoreCodec.session(clientId, s.getValue());
            List<StoredEntry> list = entriesByClient.getOrDefault(clientId, List.of());
            Map<Long, Publication> msgs = new HashMap<>();
            for (StoredEntry e : list) {
                msgs.computeIfAbsent(e.messageId(), id -> StoreCodec.message(messages.get(id)));
            }
            List<Integer> ids = new ArrayList<>();
            for (String k : keysWithPrefix(incoming, clientId + SEPARATOR)) {
                ids.add(Integer.parseInt(k.substring(k.indexOf(SEPARATOR) + 1), 16));
            }
            out.add(new StoredSession(clientId, stored.expiryIntervalSeconds(), stored.disconnectedAtMillis(),
                    stored.subscriptions(), stored.will(), stored.willDelaySeconds(), list, ids, msgs));
        }
        List<Publication> retainedMessages = new ArrayList<>();
        for (byte[] bytes : retained.values()) {
            retainedMessages.add(StoreCodec.message(bytes));
        }
        store.commit();
        return new Recovered(out, retainedMessages);
    }

    @Override
    public void close() {
        committer.close();
        pending.apply();
        store.close();
        closeDataSync();
    }

    private void closeDataSync() {
        if (dataSync != null) {
            try {
                dataSync.close();
            } catch (IOException e) {
                // nothing was written through it
            }
        }
    }

    /** Closes without writing anything more: for a store found unreadable. */
    void abandon() {
        committer.close();
        store.closeImmediately();
        closeDataSync();
    }

    /** A queue entry while its write is pending: the session and seq identify it; it refers to {@code messageId}. */
    private static final class EntryKey {
        final String clientId;
        final long seq;
        final long messageId;

        EntryKey(String clientId, long seq, long messageId) {
            this.clientId = clientId;
            this.seq = seq;
            this.messageId = messageId;
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof EntryKey k && k.seq == seq && k.clientId.equals(clientId);
        }

        @Override
        public int hashCode() {
            return clientId.hashCode() * 31 + Long.hashCode(seq);
        }
    }

    /** "clientId NUL seq" with seq as 16 hex digits, so keys sort by seq. (String.format cost more than the put.) */
    private static String key(String clientId, long seq) {
        String hex = Long.toHexString(seq);
        StringBuilder b = new StringBuilder(clientId.length() + 17).append(clientId).append(SEPARATOR);
        for (int i = hex.length(); i < 16; i++) {
            b.append('0');
        }
        return b.append(hex).toString();
    }

    private static long seq(String key) {
        return Long.parseUnsignedLong(key.substring(key.indexOf(SEPARATOR) + 1), 16);
    }

    private static List<String> keysWithPrefix(MVMap<String, byte[]> map, String prefix) {
        List<String> keys = new ArrayList<>();
        Cursor<String, byte[]> c = map.cursor(prefix);
        while (c.hasNext()) {
            String k = c.next();
            if (!k.startsWith(prefix)) {
                break;
            }
            keys.add(k);
        }
        return keys;
    }
}
