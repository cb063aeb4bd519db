package org.wrenmq.broker.store;

import java.util.List;
import org.wrenmq.broker.message.Publication;

/**
 * {@code persistence false}: sessions and messages live in memory only (the session objects themselves); nothing
 * is written, and acknowledgements go out at once.
 */
public final class MemoryStore implements MessageStore {

    @Override public boolean durable() { return false; }
    @Override public long addMessage(Publication p) { return 0; }
    @Override public void addEntry(String clientId, StoredEntry entry) { }
    @Override public void markReleased(String clientId, StoredEntry entry) { }
    @Override public void removeEntry(String clientId, StoredEntry entry) { }
    @Override public void addIncomingQos2(String clientId, int packetId) { }
    @Override public void removeIncomingQos2(String clientId, int packetId) { }
    @Override public void saveSession(StoredSession session) { }
    @Override public void removeSession(String clientId) { }
    @Override public void putRetained(Publication p) { }
    @Override public void afterCommit(Runnable action) { action.run(); }
    @Override public Recovered recover() { return new Recovered(List.of(), List.of()); }
    @Override public void close() { }
}
