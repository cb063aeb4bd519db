package org.wrenmq.broker.session;

import static org.assertj.core.api.Assertions.assertThat;
import static org.wrenmq.broker.session.SessionFixtures.delivery;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.wrenmq.api.QoS;
import org.wrenmq.broker.message.Publication;
import org.wrenmq.broker.routing.Delivery;
import org.wrenmq.broker.store.MemoryStore;
import org.wrenmq.broker.store.StoredEntry;
import org.wrenmq.broker.testing.ManualClock;

class OutboxTest {
    private final ManualClock clock = new ManualClock();
    private final SessionFixtures.RecordingOutlet outlet = new SessionFixtures.RecordingOutlet();

    private Outbox outbox(String... settings) {
        return SessionFixtures.outbox(SessionFixtures.services(new MemoryStore(), clock, settings));
    }

    @Test
    void aMessageGoesOutAtOnceAndAPubAckFinishesIt() {
        Outbox box = outbox();
        box.connect(outlet);

        box.enqueueOrSend(delivery("m1", QoS.AT_LEAST_ONCE));

        assertThat(outlet.publishes).containsExactly(new SessionFixtures.RecordingOutlet.Sent("m1", 1, false));
        assertThat(box.onPubAck(1)).isTrue();
        assertThat(box.onPubAck(1)).as("already finished").isFalse();
        assertThat(box.inflightCount()).isZero();
    }

    /** [MQTT-4.9.0-2]: no more unacknowledged QoS 1/2 messages than the client's receive maximum. */
    @Test
    void theWindowHoldsBackMessagesUntilAnAcknowledgementInOrder() {
        Outbox box = outbox();
        outlet.receiveMaximum = 2;
        box.connect(outlet);

        for (String m : List.of("m1", "m2", "m3", "m4")) {
            box.enqueueOrSend(delivery(m, QoS.AT_LEAST_ONCE));
        }

        assertThat(outlet.payloads()).containsExactly("m1", "m2");
        assertThat(box.queuedCount()).isEqualTo(2);
        box.onPubAck(1);
        assertThat(outlet.payloads()).containsExactly("m1", "m2", "m3");
    }

    @Test
    void aFullQueueDropsNewMessagesAndCountsThem() {
        SessionServices services = SessionFixtures.services(new MemoryStore(), clock, "max_queued_messages", "2");
        Outbox box = SessionFixtures.outbox(services);

        for (String m : List.of("m1", "m2", "m3")) {
            box.enqueueOrSend(delivery(m, QoS.AT_LEAST_ONCE));
        }

        assertThat(box.queuedCount()).isEqualTo(2);
        assertThat(services.queuedTotal().get()).isEqualTo(2);
        assertThat(services.metrics().snapshot()).containsEntry("messages.dropped.queue_full", 1L);
        box.connect(outlet);
        assertThat(outlet.payloads()).containsExactly("m1", "m2");
        assertThat(services.queuedTotal().get()).isZero();
    }

    @Test
    void qos0ForAnOfflineClientIsDroppedUnlessQueueQos0MessagesIsOn() {
        SessionServices dropping = SessionFixtures.services(new MemoryStore(), clock);
        Outbox box = SessionFixtures.outbox(dropping);
        box.enqueueOrSend(delivery("m0", QoS.AT_MOST_ONCE));
        assertThat(box.queuedCount()).isZero();
        assertThat(dropping.metrics().snapshot()).containsEntry("messages.dropped.qos0_offline", 1L);

        Outbox keeping = outbox("queue_qos0_messages", "true");
        keeping.enqueueOrSend(delivery("m0", QoS.AT_MOST_ONCE));
        assertThat(keeping.queuedCount()).isEqualTo(1);
    }

    /** [MQTT-4.4.0-1]: on reconnect, unacknowledged PUBLISHes are resent with DUP, and PUBRELs repeated. */
    @Test
    void aReconnectResendsWhatWasInFlight() {
        Outbox box = outbox();
        box.connect(outlet);
        box.enqueueOrSend(delivery("q1", QoS.AT_LEAST_ONCE));
        box.enqueueOrSend(delivery("q2", QoS.EXACTLY_ONCE));
        box.onPubRec(2);
        box.disconnect();

        SessionFixtures.RecordingOutlet again = new SessionFixtures.RecordingOutlet();
        box.connect(again);

        assertThat(again.publishes).containsExactly(new SessionFixtures.RecordingOutlet.Sent("q1", 1, true));
        assertThat(again.pubRels).containsExactly(2);
    }

    /** [MQTT-3.3.2-5]: a message that expired while queued is never sent, and counted. */
    @Test
    void anExpiredMessageIsNotSent() {
        SessionServices services = SessionFixtures.services(new MemoryStore(), clock);
        Outbox box = SessionFixtures.outbox(services);
        box.enqueueOrSend(new Delivery(new Publication("t", "old".getBytes(StandardCharsets.UTF_8),
                QoS.AT_LEAST_ONCE, false, null, null, null, null, List.of(), clock.millis() + 1000, null),
                QoS.AT_LEAST_ONCE, false, Delivery.NO_IDS));
        clock.advance(Duration.ofSeconds(2));

        box.connect(outlet);

        assertThat(outlet.publishes).isEmpty();
        assertThat(services.metrics().snapshot()).containsEntry("messages.dropped.expired", 1L);
    }

    /** A stored QoS 2 message: PUBREL only once "released" is durable; the entry leaves the store at PUBCOMP. */
    @Test
    void aStoredMessagesPubRelWaitsForTheCommit() {
        SessionFixtures.RecordingStore store = new SessionFixtures.RecordingStore();
        Outbox box = SessionFixtures.outbox(SessionFixtures.services(store, clock));
        box.connect(outlet);
        StoredEntry entry = new StoredEntry(7, 1, QoS.EXACTLY_ONCE, false, Delivery.NO_IDS, false);
        Delivery d = delivery("s", QoS.EXACTLY_ONCE);
        box.enqueueOrSend(new Delivery(d.publication(), QoS.EXACTLY_ONCE, false, Delivery.NO_IDS, entry, false));
        assertThat(outlet.publishes).containsExactly(new SessionFixtures.RecordingOutlet.Sent("s", 7, false));

        box.onPubRec(7);
        assertThat(outlet.pubRels).isEmpty();
        store.commit();
        assertThat(outlet.pubRels).containsExactly(7);
        assertThat(box.onPubComp(7)).isTrue();

        assertThat(store.events).containsExactly("released 7", "remove 7");
    }

    @Test
    void packetIdsWrapAroundAndSkipThoseInFlight() {
        Outbox box = outbox();
        box.connect(outlet);
        box.enqueueOrSend(delivery("a", QoS.AT_LEAST_ONCE));
        box.enqueueOrSend(delivery("b", QoS.AT_LEAST_ONCE)); // id 2 stays in flight
        box.onPubAck(1);

        for (int id = 3; id <= 65_535; id++) {
            box.enqueueOrSend(delivery("x", QoS.AT_LEAST_ONCE));
            assertThat(lastPacketId()).isEqualTo(id);
            box.onPubAck(id);
        }
        box.enqueueOrSend(delivery("wrapped", QoS.AT_LEAST_ONCE));
        assertThat(lastPacketId()).isEqualTo(1);
        box.enqueueOrSend(delivery("skips 2", QoS.AT_LEAST_ONCE));

        assertThat(lastPacketId()).isEqualTo(3);
    }

    private int lastPacketId() {
        return outlet.publishes.get(outlet.publishes.size() - 1).packetId();
    }
}
