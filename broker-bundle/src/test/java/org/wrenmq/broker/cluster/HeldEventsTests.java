package org.wrenmq.broker.cluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadInfo;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * The test hook that holds a node's events back ({@link HeldEvents}): released, the held events come first, even
 * when the next event arrives on another thread while they are being applied, as Hazelcast's event threads do.
 */
@DisplayName("events held back by a test")
class HeldEventsTests {
    private static final Duration PATIENCE = Duration.ofSeconds(10);

    @Test
    @DisplayName("an event coming while the held ones are applied waits for them")
    void eventComingDuringTheReleaseWaitsForTheHeldOnes() throws Exception {
        Object key = new Object();
        List<String> applied = new CopyOnWriteArrayList<>();
        Thread[] next = new Thread[1];
        HeldEvents.hold(key);
        HeldEvents.apply(key, () -> {
            // on the releasing thread: the next event comes now, on a thread of its own
            Thread releasing = Thread.currentThread();
            next[0] = new Thread(() -> HeldEvents.apply(key, () -> applied.add("next")));
            next[0].start();
            await().atMost(PATIENCE).until(() -> applied.contains("next") || waitsFor(next[0], releasing));
            applied.add("held");
        });

        HeldEvents.release(key);
        next[0].join(PATIENCE.toMillis());

        assertThat(applied).containsExactly("held", "next");
    }

    @Test
    @DisplayName("an event a held one brings about on the releasing thread is applied after it")
    void eventAddedWhileReleasingComesAfter() {
        Object key = new Object();
        List<String> applied = new CopyOnWriteArrayList<>();
        HeldEvents.hold(key);
        HeldEvents.apply(key, () -> {
            HeldEvents.apply(key, () -> applied.add("second"));
            applied.add("first");
        });

        HeldEvents.release(key);
        HeldEvents.apply(key, () -> applied.add("third"));

        assertThat(applied).containsExactly("first", "second", "third");
    }

    /** Whether {@code waiting} is blocked on a lock {@code owner} holds. */
    private static boolean waitsFor(Thread waiting, Thread owner) {
        ThreadInfo info = ManagementFactory.getThreadMXBean().getThreadInfo(waiting.getId());
        return info != null && info.getThreadState() == Thread.State.BLOCKED && info.getLockOwnerId() == owner.getId();
    }
}
