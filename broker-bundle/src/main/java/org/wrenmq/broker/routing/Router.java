package org.wrenmq.broker.routing;

import io.netty.util.concurrent.EventExecutor;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.wrenmq.api.QoS;
import org.wrenmq.broker.BrokerContext;
import org.wrenmq.broker.message.Publication;
import org.wrenmq.broker.metrics.SysTopics;
import org.wrenmq.broker.session.Delivery;
import org.wrenmq.broker.session.Session;
import org.wrenmq.broker.store.MessageStore;
import org.wrenmq.broker.store.StoredEntry;

/**
 * Takes a published message to every session that should get it: stores or clears it as retained, matches it
 * against the subscription tree, merges a session's overlapping subscriptions into one delivery at the highest
 * granted QoS [MQTT-3.3.4-2], writes QoS 1/2 deliveries for persistent sessions to the store (the message once,
 * an entry per session), and hands each delivery to the target session's executor. Runs on the publisher's thread.
 *
 * <p>All store writes happen before any delivery is handed over, so no target can finish (and release) the stored
 * message while entries for other targets are still being written.
 */
public final class Router {
    private final BrokerContext broker;

    public Router(BrokerContext broker) {
        this.broker = broker;
    }

    /**
     * @return whether anything was written to a durable store: the publisher's acknowledgement must then wait
     *     for {@link MessageStore#afterCommit}
     */
    public boolean publish(Publication p) {
        MessageStore store = broker.store();
        boolean wrote = false;
        if (p.retain() && broker.config().retainAvailable()) {
            broker.retained().put(p);
            if (store.durable() && !p.topic().startsWith(SysTopics.PREFIX)) {
                store.putRetained(p);
                wrote = true;
            }
        }
        Map<Session, Target> targets = new HashMap<>();
        List<Target> shared = new ArrayList<>(0);
        broker.subscriptions().match(p.topic(), new SubscriptionTree.Visitor() {
            @Override
            public void subscription(Subscription s) {
                if (!isOwnMessage(s, p)) {
                    targets.computeIfAbsent(s.session(), Target::new).add(s, p);
                }
            }

            @Override
            public void sharedGroup(SharedGroup group) {
                Subscription s = group.pick();
                if (s != null) {
                    Target t = new Target(s.session());
                    t.add(s, p);
                    shared.add(t);
                }
            }
        });
        if (targets.isEmpty() && shared.isEmpty()) {
            return wrote;
        }
        List<Delivery> deliveries = new ArrayList<>(targets.size() + shared.size());
        List<Session> sessions = new ArrayList<>(targets.size() + shared.size());
        long[] messageId = {0};
        for (Target t : targets.values()) {
            wrote |= prepare(t, p, store, messageId, deliveries, sessions);
        }
        for (Target t : shared) {
            wrote |= prepare(t, p, store, messageId, deliveries, sessions);
        }
        handOver(sessions, deliveries);
        return wrote;
    }

    /**
     * Gives each session its delivery on the session's event loop: those on the current loop at once, the others
     * in one task per loop rather than one per session, so a fan-out to many subscribers wakes each loop once.
     */
    private static void handOver(List<Session> sessions, List<Delivery> deliveries) {
        if (sessions.size() == 1) {
            Session session = sessions.get(0);
            Delivery d = deliveries.get(0);
            session.execute(() -> session.enqueueOrSend(d));
            return;
        }
        Map<EventExecutor, List<Integer>> byLoop = new HashMap<>(4);
        for (int i = 0; i < sessions.size(); i++) {
            Session session = sessions.get(i);
            if (session.executor().inEventLoop()) {
                session.enqueueOrSend(deliveries.get(i));
            } else {
                byLoop.computeIfAbsent(session.executor(), e -> new ArrayList<>()).add(i);
            }
        }
        byLoop.forEach((loop, indexes) -> loop.execute(() -> {
            for (int i : indexes) {
                sessions.get(i).enqueueOrSend(deliveries.get(i));
            }
        }));
    }

    private static boolean prepare(Target t, Publication p, MessageStore store, long[] messageId,
                                   List<Delivery> deliveries, List<Session> sessions) {
        QoS qos = p.qos().min(t.qos);
        StoredEntry entry = null;
        if (qos != QoS.AT_MOST_ONCE && store.durable() && t.session.isPersistent()) {
            if (messageId[0] == 0) {
                messageId[0] = store.addMessage(p);
            }
            entry = new StoredEntry(t.session.nextStoreSeq(), messageId[0], qos, t.retainFlag, t.ids, false);
            store.addEntry(t.session.clientId(), entry);
        }
        deliveries.add(new Delivery(p, qos, t.retainFlag, t.ids, entry, false));
        sessions.add(t.session);
        return entry != null;
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

    /** MQTT 5 no local: a client does not get back its own messages on such a subscription [MQTT-3.8.3-3]. */
    private static boolean isOwnMessage(Subscription s, Publication p) {
        return s.noLocal() && p.publisherId() != null && p.publisherId().equals(s.session().clientId());
    }

    /** What one session gets of one message when several of its subscriptions match. */
    private static final class Target {
        final Session session;
        QoS qos = QoS.AT_MOST_ONCE;
        boolean retainFlag;
        int[] ids = Delivery.NO_IDS;

        Target(Session session) {
            this.session = session;
        }

        void add(Subscription s, Publication p) {
            if (s.qos().value() > qos.value()) {
                qos = s.qos();
            }
            retainFlag |= s.retainAsPublished() && p.retain();
            if (s.subscriptionId() != 0) {
                ids = Arrays.copyOf(ids, ids.length + 1);
                ids[ids.length - 1] = s.subscriptionId();
            }
        }
    }
}
