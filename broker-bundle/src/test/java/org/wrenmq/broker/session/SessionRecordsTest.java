package org.wrenmq.broker.session;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.wrenmq.api.QoS;
import org.wrenmq.broker.message.Publication;
import org.wrenmq.broker.routing.Delivery;
import org.wrenmq.broker.routing.Subscription;
import org.wrenmq.broker.store.MemoryStore;
import org.wrenmq.broker.store.StoredEntry;
import org.wrenmq.broker.store.StoredSession;
import org.wrenmq.broker.testing.ManualClock;

class SessionRecordsTest {
    private final Session owner = new Session("c1", SessionFixtures.LOOP,
            SessionFixtures.services(new MemoryStore(), new ManualClock()));

    @Test
    void aSubscriptionSurvivesTheRoundTripWithAllItsOptions() {
        Subscription s = new Subscription(owner, "a/+", "workers", QoS.EXACTLY_ONCE, true, true, 2, 42);

        Subscription back = SessionRecords.fromRecord(owner, SessionRecords.toRecord(s));

        assertThat(back).isEqualTo(s);
    }

    @Test
    void aSessionRecordHoldsExpiryWillAndSubscriptions() {
        Publication will = Publication.simple("w", new byte[] {1}, QoS.AT_MOST_ONCE, false, "c1");
        Subscription s = Subscription.of(owner, "a", QoS.AT_LEAST_ONCE);

        StoredSession stored = SessionRecords.toStored("c1", 60, 1234, List.of(s), will, 5);

        assertThat(stored.clientId()).isEqualTo("c1");
        assertThat(stored.expiryIntervalSeconds()).isEqualTo(60);
        assertThat(stored.disconnectedAtMillis()).isEqualTo(1234);
        assertThat(stored.will()).isSameAs(will);
        assertThat(stored.willDelaySeconds()).isEqualTo(5);
        assertThat(stored.subscriptions()).containsExactly(SessionRecords.toRecord(s));
    }

    /** A stored message may have reached the client before a restart: it is resent with DUP set. */
    @Test
    void aStoredEntryComesBackAsAMaybeSentDelivery() {
        Publication p = Publication.simple("t", new byte[] {1}, QoS.AT_LEAST_ONCE, false, null);
        StoredEntry e = new StoredEntry(3, 9, QoS.AT_LEAST_ONCE, true, new int[] {4}, false);

        Delivery d = SessionRecords.delivery(e, Map.of(9L, p));

        assertThat(d.publication()).isSameAs(p);
        assertThat(d.maybeSent()).isTrue();
        assertThat(d.stored()).isSameAs(e);
        assertThat(d.subscriptionIds()).containsExactly(4);
    }
}
