package org.wrenmq.broker.session;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.wrenmq.api.QoS;
import org.wrenmq.broker.message.Publication;
import org.wrenmq.broker.routing.Delivery;
import org.wrenmq.broker.routing.Subscriber;
import org.wrenmq.broker.routing.Subscription;
import org.wrenmq.broker.store.StoredEntry;
import org.wrenmq.broker.store.StoredSession;

/** How a session's state maps to the store's records and back. The store knows nothing of sessions. */
final class SessionRecords {
    private SessionRecords() {
    }

    static StoredSession toStored(String clientId, long expiryIntervalSeconds, long disconnectedAtMillis,
                                  Iterable<Subscription> subscriptions, Publication will, long willDelaySeconds) {
        List<StoredSession.SubscriptionRecord> subs = new ArrayList<>();
        subscriptions.forEach(s -> subs.add(toRecord(s)));
        return new StoredSession(clientId, expiryIntervalSeconds, disconnectedAtMillis, subs, will, willDelaySeconds,
                List.of(), List.of(), Map.of());
    }

    static StoredSession.SubscriptionRecord toRecord(Subscription s) {
        return new StoredSession.SubscriptionRecord(s.topicFilter(), s.shareGroup(), s.qos().value(), s.noLocal(),
                s.retainAsPublished(), s.retainHandling(), s.subscriptionId());
    }

    static Subscription fromRecord(Subscriber owner, StoredSession.SubscriptionRecord r) {
        return new Subscription(owner, r.topicFilter(), r.shareGroup(), QoS.of(r.qos()), r.noLocal(),
                r.retainAsPublished(), r.retainHandling(), r.subscriptionId());
    }

    /** A stored entry as a delivery that may already have reached the client (so it is resent with DUP). */
    static Delivery delivery(StoredEntry e, Map<Long, Publication> messages) {
        return new Delivery(messages.get(e.messageId()), e.qos(), e.retainFlag(), e.subscriptionIds(), e, true);
    }
}
