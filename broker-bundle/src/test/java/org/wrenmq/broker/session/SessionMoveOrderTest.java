package org.wrenmq.broker.session;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.wrenmq.broker.session.SessionFixtures.delivery;

import io.netty.channel.DefaultEventLoopGroup;
import io.netty.channel.EventLoop;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.wrenmq.api.QoS;
import org.wrenmq.broker.store.MemoryStore;
import org.wrenmq.broker.testing.ManualClock;

/**
 * A session moving between the two event loops of {@code io_threads 2} as its client reconnects through the other
 * one: a publisher's messages keep their order [MQTT-4.6.0-5] even when the first was routed to the old loop in the
 * instant of the move and the next went straight to the new one. Each loop is held at a gate, so the interleaving
 * is the same on every run.
 */
class SessionMoveOrderTest {
    private static final Duration PATIENCE = Duration.ofSeconds(10);

    private final DefaultEventLoopGroup loops = new DefaultEventLoopGroup(2);
    private final EventLoop oldLoop = loops.next();
    private final EventLoop newLoop = loops.next();
    private final SessionFixtures.RecordingOutlet outlet = new SessionFixtures.RecordingOutlet();
    private final Session session =
            new Session("mover", oldLoop, SessionFixtures.services(new MemoryStore(), new ManualClock()));

    @AfterEach
    void stopLoops() {
        loops.shutdownGracefully(0, 1, TimeUnit.SECONDS);
    }

    @Test
    void aMessageRoutedToTheOldLoopAtTheMoveIsNotOvertakenByTheNextOne() throws Exception {
        assertThat(oldLoop).isNotSameAs(newLoop);
        oldLoop.submit(() -> session.attach(outlet, true, 60, null, 0)).sync();
        CountDownLatch newLoopBusy = gate(newLoop);

        oldLoop.execute(() -> session.moveTo(newLoop)); // the reconnect, on the session's loop
        CountDownLatch oldLoopBusy = gate(oldLoop);
        // routed by a publisher that read the old loop just before the move
        oldLoop.execute(() -> session.enqueueOrSend(delivery("first", QoS.AT_MOST_ONCE)));
        await().atMost(PATIENCE).until(() -> session.executor() == newLoop);
        // the same publisher's next message, routed after the move: straight to the new loop
        session.executor().execute(() -> session.enqueueOrSend(delivery("second", QoS.AT_MOST_ONCE)));

        oldLoopBusy.countDown();
        oldLoop.submit(() -> { }).sync(); // "first" has been passed on to the new loop, behind "second"
        newLoopBusy.countDown();

        await().atMost(PATIENCE).until(() -> sent().size() == 2);
        assertThat(sent()).containsExactly("first", "second");
    }

    @Test
    void messagesFlowAtOnceAgainOnceTheMoveSettled() throws Exception {
        oldLoop.submit(() -> session.attach(outlet, true, 60, null, 0)).sync();
        oldLoop.submit(() -> session.moveTo(newLoop)).sync();

        for (int i = 0; i < 3; i++) {
            String payload = "m" + i;
            newLoop.execute(() -> session.enqueueOrSend(delivery(payload, QoS.AT_MOST_ONCE)));
        }

        await().atMost(PATIENCE).until(() -> sent().size() == 3);
        assertThat(sent()).containsExactly("m0", "m1", "m2");
        newLoop.submit(() -> session.enqueueOrSend(delivery("after", QoS.AT_MOST_ONCE))).sync();
        assertThat(sent()).as("sent at once, nothing held").endsWith("after");
    }

    /** Holds the loop at a task until the latch opens. */
    private static CountDownLatch gate(EventLoop loop) {
        CountDownLatch open = new CountDownLatch(1);
        loop.execute(() -> {
            try {
                open.await(PATIENCE.toMillis(), TimeUnit.MILLISECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        });
        return open;
    }

    /** What the outlet sent, read on the session's loop, which writes it. */
    private List<String> sent() throws Exception {
        return session.executor().submit(() -> List.copyOf(outlet.payloads())).get();
    }
}
