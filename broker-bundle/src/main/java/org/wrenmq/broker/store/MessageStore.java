package org.wrenmq.broker.store;

import java.util.List;
import java.util.concurrent.Executor;
import java.util.function.LongConsumer;
import org.wrenmq.broker.message.Publication;

/**
 * What the broker keeps across restarts: persistent sessions, the QoS 1/2 messages queued or in flight for them,
 * incoming QoS 2 packet ids awaiting PUBREL, and retained messages. A message queued for many sessions is stored
 * once; each session's queue holds entries that refer to it.
 *
 * <p>Writes are cheap and unsynchronised; {@link #afterCommit} runs an action (sending PUBACK, PUBREC, SUBACK...)
 * once everything written before the call is durable, as {@code persistence_sync_interval} and
 * {@code persistence_fsync} say. All methods may be called from any thread.
 */
public interface MessageStore extends AutoCloseable {

    /** False for the in-memory store ({@code persistence false}): then nothing is written and nothing waits. */
    boolean durable();

    /**
     * False once writes can no longer be made durable (the file was closed after a write error, the commit thread
     * died): the broker is then not ready for clients. The in-memory store is always writable.
     */
    default boolean writable() {
        return true;
    }

    /** Bytes the store takes on disk; 0 for the in-memory store. */
    default long sizeBytes() {
        return 0;
    }

    /** Tells {@code observer}, on the commit thread, how many nanoseconds each commit (and fsync) took. */
    default void observeCommits(LongConsumer observer) {
    }

    /** Stores a message once; returns its id. Entries referring to it keep it; the last one removed drops it. */
    long addMessage(Publication p);

    void addEntry(String clientId, StoredEntry entry);

    /**
     * Whether {@code entry}'s QoS 2 message may go out to its client now: a cluster node sends it only once the
     * cluster holds the entry, so that a survivor adopting the session after this node's death resends it under the
     * packet id the client may hold it by, not as a new message. If not yet, {@code whenHeld} runs (on any thread)
     * once it may. This node's own store needs no wait: a restart finds what it committed, and what it did not
     * commit was not acknowledged to its publisher either.
     */
    default boolean mayGoOut(String clientId, StoredEntry entry, Runnable whenHeld) {
        return true;
    }

    /** The client answered PUBREC: from now on only the PUBREL is resent. */
    void markReleased(String clientId, StoredEntry entry);

    /** The delivery is finished or dropped. */
    void removeEntry(String clientId, StoredEntry entry);

    void addIncomingQos2(String clientId, int packetId);

    void removeIncomingQos2(String clientId, int packetId);

    void saveSession(StoredSession session);

    /** Removes a session with its entries and incoming packet ids. */
    void removeSession(String clientId);

    /** Stores a retained message, or clears the topic for an empty payload. */
    void putRetained(Publication p);

    /** Runs {@code action} once everything written so far is durable (at once for the in-memory store). */
    void afterCommit(Runnable action);

    /**
     * As {@link #afterCommit(Runnable)}, with {@code action} run on {@code executor}: the actions of one commit for
     * the same executor (an event loop) run together, so their packets leave in one write.
     */
    default void afterCommit(Executor executor, Runnable action) {
        afterCommit(() -> executor.execute(action));
    }

    /** What the store held at start-up. */
    Recovered recover();

    @Override
    void close();

    /** The state read back at start-up. */
    record Recovered(List<StoredSession> sessions, List<Publication> retained) {
    }
}
