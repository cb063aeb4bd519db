package org.wrenmq.broker.routing;

import java.util.HashMap;
import java.util.Map;
import org.wrenmq.api.QoS;
import org.wrenmq.broker.BrokerContext;
import org.wrenmq.broker.message.Publication;
import org.wrenmq.broker.session.Delivery;
import org.wrenmq.broker.session.Session;

/**
 * Takes a published message to every session that should get it: stores or clears it as retained, matches it
 * against the subscription tree, merges a session's overlapping subscriptions into one delivery at the highest
 * granted QoS, and hands each delivery to the target session's executor. Runs on the publisher's thread.
 */
public final class Router {
    private final BrokerContext broker;

    public Router(BrokerContext broker) {
        this.broker = broker;
    }

    public void publish(Publication p) {
        if (p.retain() && broker.config().retainAvailable()) {
            broker.retained().put(p);
        }
        Map<Session, Target> targets = new HashMap<>();
        broker.subscriptions().match(p.topic(), new SubscriptionTree.Visitor() {
            @Override
            public void subscription(Subscription s) {
                if (!isOwnMessage(s, p)) {
                    targets.computeIfAbsent(s.session(), k -> new Target()).add(s, p);
                }
            }

            @Override
            public void sharedGroup(SharedGroup group) {
                Subscription s = group.pick();
                if (s != null) {
                    deliver(s.session(), p, s.qos(), s.retainAsPublished() && p.retain(), ids(s));
                }
            }
        });
        targets.forEach((session, t) -> deliver(session, p, t.qos, t.retainFlag, t.ids));
    }

    /** A will is published like any message, and counted. */
    public void publishWill(Publication will) {
        broker.metrics().willsPublished.increment();
        publish(will);
    }

    public SharedGroup sharedGroup(Subscription s) {
        return broker.subscriptions().group(s.topicFilter(), s.shareGroup());
    }

    public boolean matches(String filter, String topic) {
        return Topics.matches(filter, topic);
    }

    private static void deliver(Session session, Publication p, QoS qos, boolean retainFlag, int[] ids) {
        session.execute(() -> session.deliver(p, qos, retainFlag, ids));
    }

    /** MQTT 5 no local: a client does not get back its own messages on such a subscription [MQTT-3.8.3-3]. */
    private static boolean isOwnMessage(Subscription s, Publication p) {
        return s.noLocal() && p.publisherId() != null && p.publisherId().equals(s.session().clientId());
    }

    private static int[] ids(Subscription s) {
        return s.subscriptionId() == 0 ? Delivery.NO_IDS : new int[] {s.subscriptionId()};
    }

    /** What one session gets of one message when several of its subscriptions match [MQTT-3.3.4-2]. */
    private static final class Target {
        QoS qos = QoS.AT_MOST_ONCE;
        boolean retainFlag;
        int[] ids = Delivery.NO_IDS;

        void add(Subscription s, Publication p) {
            if (s.qos().value() > qos.value()) {
                qos = s.qos();
            }
            retainFlag |= s.retainAsPublished() && p.retain();
            if (s.subscriptionId() != 0) {
                int[] more = java.util.Arrays.copyOf(ids, ids.length + 1);
                more[ids.length] = s.subscriptionId();
                ids = more;
            }
        }
    }
}
