package org.wrenmq.broker.store;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.wrenmq.api.QoS;
import org.wrenmq.broker.message.Origin;
import org.wrenmq.broker.message.Publication;

/**
 * The store's promise through its pending writes: whatever an action given to {@code afterCommit} waited for is in
 * the file when the action runs, even when the process dies right after ({@link MvStore#abandon()} writes nothing
 * more), and records removed before their commit never come back.
 */
class MvStoreTest {
    @TempDir
    Path dir;
    private MvStore store;

    @AfterEach
    void closeStore() {
        if (store != null) {
            store.abandon();
        }
    }

    private MvStore open() {
        return new MvStore(dir.resolve(MvStore.FILE_NAME), true, 0);
    }

    /** Waits until everything written so far is durable, then "kills" the process and opens the file again. */
    private MessageStore.Recovered killAfterCommitAndReopen() throws Exception {
        CompletableFuture<Void> committed = new CompletableFuture<>();
        store.afterCommit(() -> committed.complete(null));
        committed.get(10, TimeUnit.SECONDS);
        store.abandon();
        store = open();
        return store.recover();
    }

    private static StoredSession session(String clientId) {
        return new StoredSession(clientId, 3600, 0, List.of(), null, 0, List.of(), List.of(), Map.of());
    }

    private static Publication message(String text) {
        return Publication.simple("t", text.getBytes(), QoS.AT_LEAST_ONCE, false, "pub");
    }

    private static StoredEntry entry(long seq, long messageId, QoS qos) {
        return new StoredEntry(seq, messageId, qos, false, new int[0], false);
    }

    private static Map<String, StoredSession> byClient(MessageStore.Recovered r) {
        Map<String, StoredSession> out = new java.util.HashMap<>();
        r.sessions().forEach(s -> out.put(s.clientId(), s));
        return out;
    }

    @Test
    @DisplayName("a cluster node's queued message keeps its identity (origin node and number) across a kill, so a "
            + "restarted node still tells it apart from a copy another node holds")
    void messageKeepsItsIdentityAcrossAKill() throws Exception {
        store = open();
        store.recover();
        store.saveSession(session("sub"));
        Origin origin = new Origin(UUID.randomUUID(), 12);
        store.addEntry("sub", entry(1, store.addMessage(message("identified")), QoS.EXACTLY_ONCE).withOrigin(origin));
        store.addEntry("sub", entry(2, store.addMessage(message("plain")), QoS.AT_LEAST_ONCE));

        StoredSession sub = byClient(killAfterCommitAndReopen()).get("sub");

        assertThat(sub.entries()).extracting(StoredEntry::origin).containsExactly(origin, null);
    }

    @Test
    @DisplayName("a message the commit waited for survives a kill right after the commit")
    void acknowledgedMessageSurvivesKill() throws Exception {
        store = open();
        store.recover();
        store.saveSession(session("sub"));
        long id = store.addMessage(message("kept"));
        store.addEntry("sub", entry(1, id, QoS.AT_LEAST_ONCE));

        StoredSession sub = byClient(killAfterCommitAndReopen()).get("sub");

        assertThat(sub.entries()).extracting(StoredEntry::seq).containsExactly(1L);
        assertThat(new String(sub.messages().get(id).payload())).isEqualTo("kept");
    }

    @Test
    @DisplayName("one session finishing a message before its commit leaves it stored for the others")
    void messageSharedBySessionsStaysForTheOneNotFinished() throws Exception {
        store = open();
        store.recover();
        store.saveSession(session("fast"));
        store.saveSession(session("offline"));
        long id = store.addMessage(message("shared"));
        StoredEntry fast = entry(1, id, QoS.AT_LEAST_ONCE);
        store.addEntry("fast", fast);
        store.addEntry("offline", entry(1, id, QoS.AT_LEAST_ONCE));
        store.removeEntry("fast", fast);

        Map<String, StoredSession> sessions = byClient(killAfterCommitAndReopen());

        assertThat(sessions.get("fast").entries()).isEmpty();
        assertThat(sessions.get("offline").entries()).hasSize(1);
        assertThat(new String(sessions.get("offline").messages().get(id).payload())).isEqualTo("shared");
    }

    @Test
    @DisplayName("a message finished before its commit is not restored")
    void messageFinishedBeforeCommitIsGone() throws Exception {
        store = open();
        store.recover();
        store.saveSession(session("sub"));
        long id = store.addMessage(message("done"));
        StoredEntry e = entry(1, id, QoS.AT_LEAST_ONCE);
        store.addEntry("sub", e);
        store.removeEntry("sub", e);

        assertThat(byClient(killAfterCommitAndReopen()).get("sub").entries()).isEmpty();
    }

    @Test
    @DisplayName("a message finished after its commit is gone after a clean stop")
    void messageFinishedAfterCommitIsGoneAfterCleanStop() throws Exception {
        store = open();
        store.recover();
        store.saveSession(session("sub"));
        long id = store.addMessage(message("done later"));
        StoredEntry e = entry(1, id, QoS.AT_LEAST_ONCE);
        store.addEntry("sub", e);
        killAfterCommitAndReopen();
        store.removeEntry("sub", e);
        store.close();
        store = open();

        assertThat(byClient(store.recover()).get("sub").entries()).isEmpty();
    }

    @Test
    @DisplayName("a QoS 2 message released before its commit is restored as released")
    void releasedBeforeCommitIsRestoredReleased() throws Exception {
        store = open();
        store.recover();
        store.saveSession(session("sub"));
        long id = store.addMessage(message("q2"));
        StoredEntry e = entry(1, id, QoS.EXACTLY_ONCE);
        store.addEntry("sub", e);
        store.markReleased("sub", e);

        assertThat(byClient(killAfterCommitAndReopen()).get("sub").entries())
                .singleElement().extracting(StoredEntry::released).isEqualTo(true);
    }

    @Test
    @DisplayName("a removed session takes its pending and stored entries, not another session's message")
    void removedSessionTakesItsEntriesOnly() throws Exception {
        store = open();
        store.recover();
        store.saveSession(session("gone"));
        store.saveSession(session("stays"));
        long stored = store.addMessage(message("stored"));
        store.addEntry("gone", entry(1, stored, QoS.AT_LEAST_ONCE));
        store.addEntry("stays", entry(1, stored, QoS.AT_LEAST_ONCE));
        killAfterCommitAndReopen();
        long pendingId = store.addMessage(message("pending"));
        store.addEntry("gone", entry(2, pendingId, QoS.AT_LEAST_ONCE));
        store.removeSession("gone");

        Map<String, StoredSession> sessions = byClient(killAfterCommitAndReopen());

        assertThat(sessions).containsOnlyKeys("stays");
        assertThat(new String(sessions.get("stays").messages().get(stored).payload())).isEqualTo("stored");
    }
}
