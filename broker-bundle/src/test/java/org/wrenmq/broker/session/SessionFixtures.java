package org.wrenmq.broker.session;

import io.netty.util.concurrent.ImmediateEventExecutor;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import org.wrenmq.api.QoS;
import org.wrenmq.broker.BrokerConfig;
import org.wrenmq.broker.message.Publication;
import org.wrenmq.broker.metrics.BrokerMetrics;
import org.wrenmq.broker.routing.Delivery;
import org.wrenmq.broker.routing.RetainedTree;
import org.wrenmq.broker.routing.Router;
import org.wrenmq.broker.routing.SubscriptionTree;
import org.wrenmq.broker.store.MemoryStore;
import org.wrenmq.broker.store.MessageStore;
import org.wrenmq.broker.store.StoredEntry;
import org.wrenmq.broker.testing.ManualClock;

/** What the session's mechanisms are tested with: real trees and router, a store and an outlet that record. */
final class SessionFixtures {
    private SessionFixtures() {
    }

    static SessionServices services(MessageStore store, ManualClock clock, String... settings) {
        BrokerConfig.Builder b = BrokerConfig.builder();
        for (int i = 0; i < settings.length; i += 2) {
            b.set(settings[i], settings[i + 1]);
        }
        BrokerConfig config = b.build();
        BrokerMetrics metrics = new BrokerMetrics();
        SubscriptionTree tree = new SubscriptionTree();
        RetainedTree retained = new RetainedTree(clock);
        Router router = new Router(tree, retained, store, metrics, true);
        return new SessionServices(config, metrics, store, new SessionRegistry(), tree, retained, router,
                new AtomicLong(), () -> false, clock);
    }

    static Delivery delivery(String payload, QoS qos) {
        return new Delivery(Publication.simple("t", payload.getBytes(StandardCharsets.UTF_8), qos, false, null), qos,
                false, Delivery.NO_IDS);
    }

    static String payload(Delivery d) {
        return new String(d.publication().payload(), StandardCharsets.UTF_8);
    }

    /** An outlet that keeps what was sent. */
    static final class RecordingOutlet implements Outlet {
        record Sent(String payload, int packetId, boolean dup) {
        }

        final List<Sent> publishes = new ArrayList<>();
        final List<Integer> pubRels = new ArrayList<>();
        boolean writable = true;
        boolean takenOver;
        int receiveMaximum = 65_535;

        @Override
        public boolean isWritable() {
            return writable;
        }

        @Override
        public boolean sendPublish(Delivery d, int packetId, boolean dup) {
            publishes.add(new Sent(payload(d), packetId, dup));
            return true;
        }

        @Override
        public void sendPubRel(int packetId) {
            pubRels.add(packetId);
        }

        @Override
        public void takenOver() {
            takenOver = true;
        }

        @Override
        public String remoteAddress() {
            return "test";
        }

        @Override
        public int protocolVersion() {
            return 5;
        }

        @Override
        public int receiveMaximum() {
            return receiveMaximum;
        }

        List<String> payloads() {
            return publishes.stream().map(Sent::payload).toList();
        }
    }

    /** A durable-looking store that records entry changes and runs commit callbacks only when told. */
    static final class RecordingStore implements MessageStore {
        final List<String> events = new ArrayList<>();
        final List<Runnable> pendingCommits = new ArrayList<>();
        private final MemoryStore memory = new MemoryStore();

        @Override public boolean durable() { return true; }
        @Override public long addMessage(Publication p) { return 1; }
        @Override public void addEntry(String clientId, StoredEntry entry) { events.add("add " + entry.seq()); }
        @Override public void markReleased(String clientId, StoredEntry e) { events.add("released " + e.seq()); }
        @Override public void removeEntry(String clientId, StoredEntry e) { events.add("remove " + e.seq()); }
        @Override public void addIncomingQos2(String clientId, int id) { events.add("qos2 " + id); }
        @Override public void removeIncomingQos2(String clientId, int id) { events.add("pubrel " + id); }
        @Override public void saveSession(org.wrenmq.broker.store.StoredSession s) { events.add("session"); }
        @Override public void removeSession(String clientId) { events.add("end"); }
        @Override public void putRetained(Publication p) { }
        @Override public void afterCommit(Runnable action) { pendingCommits.add(action); }
        @Override public Recovered recover() { return memory.recover(); }
        @Override public void close() { }

        void commit() {
            List<Runnable> due = new ArrayList<>(pendingCommits);
            pendingCommits.clear();
            due.forEach(Runnable::run);
        }
    }

    static Outbox outbox(SessionServices services) {
        return new Outbox(new Session("c1", LOOP, services), services);
    }

    static final ImmediateEventExecutor LOOP = ImmediateEventExecutor.INSTANCE;
}
