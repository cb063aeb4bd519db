package org.wrenmq.broker.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class GroupCommitterTest {

    /** Counts the tasks it is given and runs them at once. */
    private static final class CountingExecutor implements Executor {
        final AtomicInteger tasks = new AtomicInteger();

        @Override
        public void execute(Runnable command) {
            tasks.incrementAndGet();
            command.run();
        }
    }

    @Test
    void actionsWaitingForOneCommitRunInOrderAsOneTaskPerExecutor() throws Exception {
        CountDownLatch commitMayEnd = new CountDownLatch(1);
        CountDownLatch commitStarted = new CountDownLatch(1);
        AtomicInteger commits = new AtomicInteger();
        GroupCommitter committer = new GroupCommitter(() -> {
            commits.incrementAndGet();
            commitStarted.countDown();
            try {
                commitMayEnd.await(10, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }, () -> { }, 0, "test-commit");
        CountingExecutor loopA = new CountingExecutor();
        CountingExecutor loopB = new CountingExecutor();
        List<String> ran = Collections.synchronizedList(new ArrayList<>());
        committer.afterCommit(loopA, () -> ran.add("first"));
        commitStarted.await(10, TimeUnit.SECONDS);
        // these arrive while the first commit runs: they share the next one
        for (int i = 0; i < 100; i++) {
            int n = i;
            committer.afterCommit(n % 2 == 0 ? loopA : loopB, () -> ran.add("a" + n));
        }
        assertThat(ran).as("nothing runs before its commit ended").isEmpty();
        commitMayEnd.countDown();
        await().atMost(10, TimeUnit.SECONDS).until(() -> ran.size() == 101);
        committer.close();

        assertThat(commits).hasValue(2);
        assertThat(loopA.tasks).as("tasks on loop A: one per commit").hasValue(2);
        assertThat(loopB.tasks).hasValue(1);
        List<String> onA = ran.stream().filter(s -> s.equals("first") || Integer.parseInt(s.substring(1)) % 2 == 0)
                .toList();
        assertThat(onA.get(0)).isEqualTo("first");
        assertThat(onA.subList(1, onA.size())).isSortedAccordingTo(
                (x, y) -> Integer.compare(Integer.parseInt(x.substring(1)), Integer.parseInt(y.substring(1))));
    }

    @Test
    void housekeepingRunsWhileIdle() {
        AtomicInteger housekeeping = new AtomicInteger();
        GroupCommitter committer = new GroupCommitter(() -> { }, housekeeping::incrementAndGet, 0, "test-commit");
        try {
            await().atMost(10, TimeUnit.SECONDS).until(() -> housekeeping.get() >= 1);
        } finally {
            committer.close();
        }
    }
}
