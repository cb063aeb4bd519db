package org.wrenmq.broker.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.util.concurrent.EventExecutor;
import io.netty.util.concurrent.ImmediateEventExecutor;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.wrenmq.api.QoS;
import org.wrenmq.broker.message.Origin;
import org.wrenmq.broker.message.Publication;
import org.wrenmq.broker.routing.Delivery;
import org.wrenmq.broker.routing.Subscriber;
import org.wrenmq.broker.store.MemoryStore;

/**
 * The switch of an adopted session from a dead node's ring buffer to the adopter's own routing, with the two ways
 * interleaved as the threads may interleave them: each message once, each publisher's in order.
 */
@DisplayName("the switch of an adopted session to the adopter")
class TakeoverGateTests {
    private static final UUID DEAD = UUID.randomUUID();
    private static final UUID ADOPTER = UUID.randomUUID();
    private static final UUID OTHER = UUID.randomUUID();

    private final ClusterCounters counters = new ClusterCounters();
    private final TakeoverGate gate = new TakeoverGate(DEAD, List.of(ADOPTER, OTHER), new MemoryStore(), counters);
    private final Recording session = new Recording("meter");

    TakeoverGateTests() {
        gate.adopted(session);
    }

    @Test
    @DisplayName("what the adopter routes waits until its origin's mark is read in the ring buffer, and comes once")
    void heldUntilTheMarkThenOnce() {
        fromRing(OTHER, 1);
        fromHere(OTHER, 2);
        fromHere(OTHER, 3);
        fromRing(OTHER, 2);
        assertThat(session.payloads).containsExactly("1", "2");

        gate.switched(OTHER);
        fromHere(OTHER, 4);

        assertThat(session.payloads).containsExactly("1", "2", "3", "4");
        assertThat(counters.takeoverCopies.sum()).isEqualTo(1);
    }

    @Test
    @DisplayName("a copy the ring buffer brings after the adopter delivered its message is dropped")
    void lateCopyFromTheRingIsDropped() {
        gate.switched(ADOPTER);
        fromHere(ADOPTER, 1);
        fromRing(ADOPTER, 1);
        fromRing(ADOPTER, 2);
        fromHere(ADOPTER, 2);

        assertThat(session.payloads).containsExactly("1", "2");
        assertThat(counters.takeoverCopies.sum()).isEqualTo(2);
    }

    @Test
    @DisplayName("an origin that left is waited for until the ring buffer was read through what it wrote")
    void originThatLeftIsDoneOnceItsWritesAreRead() {
        gate.read(5);
        fromHere(OTHER, 2);
        gate.originLeft(OTHER, 8);
        fromRing(OTHER, 1);
        assertThat(session.payloads).containsExactly("1");

        gate.read(8);

        assertThat(session.payloads).containsExactly("1", "2");
    }

    @Test
    @DisplayName("a move to another node takes what was held for the session along, and the end releases the rest")
    void moveAndEndRelease() {
        fromHere(ADOPTER, 1);
        fromHere(OTHER, 1);
        gate.releaseFor(session);
        assertThat(session.payloads).containsExactly("1", "1");
        assertThat(gate.switched()).isNotDone();

        gate.end();

        assertThat(gate.switched()).isDone();
    }

    @Test
    @DisplayName("a message the session had in the mirror is dropped whichever way it comes again")
    void messageInTheMirrorIsDropped() {
        gate.mirrored("meter", Set.of(new Origin(OTHER, 2), new Origin(ADOPTER, 7)));
        fromHere(OTHER, 2);
        fromHere(OTHER, 3);
        fromRing(ADOPTER, 7);
        gate.switched(OTHER);
        gate.switched(ADOPTER);
        fromHere(ADOPTER, 7);
        fromHere(ADOPTER, 8);

        assertThat(session.payloads).containsExactly("3", "8");
        assertThat(counters.takeoverCopies.sum()).isEqualTo(3);
    }

    private void fromRing(UUID origin, long seq) {
        gate.fromRing(new Origin(origin, seq), session, message(seq), QoS.AT_LEAST_ONCE, false,
                Delivery.NO_IDS);
    }

    /** As the router does: what the switch does not take, it delivers itself. */
    private void fromHere(UUID origin, long seq) {
        if (!gate.fromHere(new Origin(origin, seq), session, message(seq), QoS.AT_LEAST_ONCE, false,
                Delivery.NO_IDS)) {
            session.enqueueOrSend(new Delivery(message(seq), QoS.AT_LEAST_ONCE, false, Delivery.NO_IDS));
        }
    }

    private static Publication message(long seq) {
        return Publication.simple("plant/line-1", String.valueOf(seq).getBytes(StandardCharsets.UTF_8),
                QoS.AT_LEAST_ONCE, false, "publisher");
    }

    /** A subscriber that records what it gets, on the calling thread. */
    private static final class Recording implements Subscriber {
        private final String clientId;
        final List<String> payloads = new ArrayList<>();

        Recording(String clientId) {
            this.clientId = clientId;
        }

        @Override public String clientId() { return clientId; }
        @Override public EventExecutor executor() { return ImmediateEventExecutor.INSTANCE; }
        @Override public boolean isOnline() { return false; }
        @Override public boolean isPersistent() { return true; }
        @Override public long nextStoreSeq() { return 0; }

        @Override
        public void enqueueOrSend(Delivery d) {
            payloads.add(new String(d.publication().payload(), StandardCharsets.UTF_8));
        }
    }
}
