package org.wrenmq.broker.routing;

import io.netty.util.concurrent.EventExecutor;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletionStage;
import org.wrenmq.api.QoS;
import org.wrenmq.broker.message.Publication;
import org.wrenmq.broker.metrics.BrokerMetrics;
import org.wrenmq.broker.metrics.SysTopics;
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
    private final SubscriptionTree subscriptions;
    private final RetainedTree retained;
    private final MessageStore store;
    private final BrokerMetrics metrics;
    /** {@code retain_available}: when false, the RETAIN flag is not honoured (CONNECT refuses retained wills). */
    private final boolean retainAvailable;
    /** The other nodes of a cluster, given once at start ({@link RemoteNodes#NONE} for a single node). */
    private volatile RemoteNodes remoteNodes = RemoteNodes.NONE;

    public Router(SubscriptionTree subscriptions, RetainedTree retained, MessageStore store, BrokerMetrics metrics,
                  boolean retainAvailable) {
        this.subscriptions = subscriptions;
        this.retained = retained;
        this.store = store;
        this.metrics = metrics;
        this.retainAvailable = retainAvailable;
    }

    /**
     * @return whether anything was written to a durable store: the publisher's acknowledgement must then wait
     *     for {@link MessageStore#afterCommit}
     */
    public boolean publish(Publication p) {
        return route(p).wrote();
    }

    /** As {@link #publish}, telling also what the publisher's acknowledgement waits for on other nodes. */
    public Routed route(Publication p) {
        RemoteNodes.Forwarding forwarding = remoteNodes.begin(p);
        boolean wrote = publishHere(p, forwarding);
        CompletionStage<Void> forwarded = forwarding.send();
        CompletionStage<Void> room = forwarding.whenNodesHaveRoom();
        if (forwarded == RemoteNodes.NOTHING_TO_WAIT && room == RemoteNodes.NOTHING_TO_WAIT) {
            return wrote ? Routed.WROTE : Routed.NOTHING;
        }
        return new Routed(wrote, forwarded, room);
    }

    /**
     * What routing one message did that its publisher's acknowledgement must wait for.
     *
     * @param wrote     something was written to this node's durable store ({@link MessageStore#afterCommit})
     * @param forwarded the copies sent to other nodes are held by the cluster ({@link RemoteNodes.Forwarding#send})
     * @param nodesHaveRoom the nodes it went to can take more from this node: the publisher is not read before
     *                  ({@link RemoteNodes.Forwarding#whenNodesHaveRoom})
     */
    public record Routed(boolean wrote, CompletionStage<Void> forwarded, CompletionStage<Void> nodesHaveRoom) {
        public static final Routed NOTHING = new Routed(false, RemoteNodes.NOTHING_TO_WAIT);
        static final Routed WROTE = new Routed(true, RemoteNodes.NOTHING_TO_WAIT);

        public Routed(boolean wrote, CompletionStage<Void> forwarded) {
            this(wrote, forwarded, RemoteNodes.NOTHING_TO_WAIT);
        }
    }

    /** Connects this node's router to the other nodes of its cluster. */
    public void connect(RemoteNodes nodes) {
        this.remoteNodes = nodes;
    }

    /**
     * Routes a message to this node's own subscribers only: one another node forwarded (it never goes back out),
     * with what that node decided about shared groups.
     * @return as {@link #publish}
     */
    public boolean publishHere(Publication p, RemoteNodes.Forwarding forwarding) {
        boolean wrote = false;
        if (p.retain() && retainAvailable) {
            retained.put(p);
            if (store.durable() && !p.topic().startsWith(SysTopics.PREFIX)) {
                store.putRetained(p);
                wrote = true;
            }
        }
        Matches matches = new Matches(p, forwarding);
        subscriptions.match(p.topic(), matches);
        List<Target> targets = matches.targets();
        for (Target t : targets) {
            if (!t.session.mayRead(p.topic())) {
                continue;
            }
            if (forwarding.takesDelivery(t.session, p, p.qos().min(t.qos), t.retainFlag, t.ids)) {
                wrote = true; // its store writes, if any, were made on this thread
            } else {
                wrote |= prepare(t, p, store, matches);
            }
        }
        handOver(targets);
        return wrote;
    }

    /**
     * Gives each session its delivery on the session's event loop: those on the current loop at once, the others
     * in one task per loop rather than one per session, so a fan-out to many subscribers wakes each loop once.
     */
    private static void handOver(List<Target> targets) {
        Map<EventExecutor, List<Target>> byLoop = null;
        for (Target t : targets) {
            if (t.delivery == null) {
                continue;
            }
            if (t.session.executor().inEventLoop()) {
                t.session.enqueueOrSend(t.delivery);
            } else {
                if (byLoop == null) {
                    byLoop = new HashMap<>(4);
                }
                byLoop.computeIfAbsent(t.session.executor(), e -> new ArrayList<>()).add(t);
            }
        }
        if (byLoop != null) {
            byLoop.forEach((loop, onLoop) -> loop.execute(() -> {
                for (Target t : onLoop) {
                    t.session.enqueueOrSend(t.delivery);
                }
            }));
        }
    }

    /** Decides the target's delivery and writes it to the store when its session keeps QoS 1/2 messages. */
    private static boolean prepare(Target t, Publication p, MessageStore store, Matches matches) {
        QoS qos = p.qos().min(t.qos);
        StoredEntry entry = null;
        if (qos != QoS.AT_MOST_ONCE && store.durable() && t.session.isPersistent()) {
            if (matches.storedMessageId == 0) {
                matches.storedMessageId = store.addMessage(p);
            }
            entry = new StoredEntry(t.session.nextStoreSeq(), matches.storedMessageId, qos, t.retainFlag, t.ids,
                    false, matches.forwarding.origin());
            store.addEntry(t.session.clientId(), entry);
        }
        t.delivery = new Delivery(p, qos, t.retainFlag, t.ids, entry, false);
        return entry != null;
    }

    /** A will is published like any message, and counted (its session checked the acl_file first). */
    public void publishWill(Publication will) {
        metrics.willsPublished.increment();
        publish(will);
    }

    public SharedGroup sharedGroup(Subscription s) {
        return subscriptions.group(s.topicFilter(), s.shareGroup());
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
        final Subscriber session;
        /** Picked from a shared subscription group: a copy of its own, never merged with the session's others. */
        final boolean shared;
        QoS qos = QoS.AT_MOST_ONCE;
        boolean retainFlag;
        int[] ids = Delivery.NO_IDS;
        Delivery delivery;

        Target(Subscriber session, boolean shared) {
            this.session = session;
            this.shared = shared;
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

    /**
     * What one message matched. Most messages go to a single session, so the first target is kept on its own and
     * the list and the by-session index are made only when a second target comes.
     */
    private static final class Matches implements SubscriptionTree.Visitor {
        private final Publication p;
        private final RemoteNodes.Forwarding forwarding;
        Target first;
        /** Every target in match order, from the second on (null while there is one). */
        List<Target> all;
        /** The non-shared targets by session, from the second target on: overlapping subscriptions merge. */
        private Map<Subscriber, Target> bySession;
        /** The message's id in the store once written for the first persistent target, else 0. */
        long storedMessageId;

        Matches(Publication p, RemoteNodes.Forwarding forwarding) {
            this.p = p;
            this.forwarding = forwarding;
        }

        List<Target> targets() {
            return all != null ? all : first != null ? List.of(first) : List.of();
        }

        @Override
        public void subscription(Subscription s) {
            if (isOwnMessage(s, p)) {
                return;
            }
            Target t = bySession != null ? bySession.get(s.session())
                    : first != null && !first.shared && first.session == s.session() ? first : null;
            if (t == null) {
                t = new Target(s.session(), false);
                add(t);
            }
            t.add(s, p);
        }

        @Override
        public void sharedGroup(SharedGroup group) {
            Subscription s = group.pick();
            if (s != null && forwarding.takeSharedHere(s)) {
                Target t = new Target(s.session(), true);
                t.add(s, p);
                add(t);
            }
        }

        private void add(Target t) {
            if (first == null) {
                first = t;
                return;
            }
            if (all == null) {
                all = new ArrayList<>();
                all.add(first);
                bySession = new HashMap<>();
                if (!first.shared) {
                    bySession.put(first.session, first);
                }
            }
            all.add(t);
            if (!t.shared) {
                bySession.put(t.session, t);
            }
        }
    }
}
