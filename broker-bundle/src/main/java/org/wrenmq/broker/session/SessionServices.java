package org.wrenmq.broker.session;

import java.util.concurrent.atomic.AtomicLong;
import java.util.function.BooleanSupplier;
import org.wrenmq.broker.BrokerConfig;
import org.wrenmq.broker.metrics.BrokerMetrics;
import org.wrenmq.broker.routing.RetainedTree;
import org.wrenmq.broker.routing.Router;
import org.wrenmq.broker.routing.SubscriptionTree;
import org.wrenmq.broker.store.MessageStore;
import org.wrenmq.broker.time.BrokerClock;

/**
 * Everything outside itself that a session touches, one instance per broker, handed to each session's
 * constructor: this list is the whole of a session's dependencies.
 *
 * @param queuedTotal messages queued across all sessions, against {@code max_queued_messages_total}
 * @param stopping    true once a clean stop began: connections then close without ending sessions or
 *                    publishing wills, so the store keeps every session as it was
 * @param clock       will delay and session expiry timers, message expiry
 */
public record SessionServices(BrokerConfig config, BrokerMetrics metrics, MessageStore store,
                              SessionRegistry sessions, SubscriptionTree subscriptions, RetainedTree retained,
                              Router router, AtomicLong queuedTotal, BooleanSupplier stopping,
                              BrokerClock clock) {

    public boolean isStopping() {
        return stopping.getAsBoolean();
    }
}
