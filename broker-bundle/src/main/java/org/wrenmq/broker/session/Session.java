package org.wrenmq.broker.session;

import io.netty.util.concurrent.EventExecutor;
import io.netty.util.concurrent.ScheduledFuture;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.wrenmq.api.QoS;
import org.wrenmq.broker.BrokerContext;
import org.wrenmq.broker.message.Publication;
import org.wrenmq.broker.routing.SharedGroup;
import org.wrenmq.broker.routing.Subscription;
import org.wrenmq.broker.store.MessageStore;
import org.wrenmq.broker.store.StoredEntry;
import org.wrenmq.broker.store.StoredSession;

/**
 * The broker's state for one client id: its subscriptions, the messages in flight to it, those queued behind
 * them, the packet ids of incoming QoS 2 messages awaiting PUBREL, and the will of the attached connection.
 * It outlives connections when persistent, and restarts when the store is durable.
 *
 * <p>Threading: the state is touched on {@link #executor()} only (an event loop chosen when the session was
 * created), so no lock guards it. Callers on other threads go through {@link #execute}; messages from one
 * publisher reach the executor in publish order, which keeps MQTT's ordering guarantee [MQTT-4.6.0-5]. The few
 * fields other threads read are volatile or concurrent.
 *
 * <p>Flow: a delivery is sent at once while the outlet is writable and, for QoS 1/2, fewer than the inflight
 * maximum are unacknowledged; otherwise it waits in the queue, bounded by {@code max_queued_messages},
 * {@code max_queued_bytes} and, across all sessions, {@code max_queued_messages_total}. Each acknowledgement or
 * writability change pumps the queue.
 *
 * <p>Durability: QoS 1/2 messages for a persistent session are written to the store by the router before the
 * publisher is acknowledged; here their entries are marked released (PUBREC, and the PUBREL goes out only once that
 * is durable, so a restart never resends a message the client already has) and removed when finished. A stored
 * entry's packet id is derived from its sequence number, so a restart resends with the same id.
 */
public final class Session {
    private static final Logger LOG = LoggerFactory.getLogger(Session.class);

    private final String clientId;
    private final EventExecutor executor;
    private final BrokerContext broker;
    private final MessageStore store;
    private static final VarHandle STORE_SEQ;
    static {
        try {
            STORE_SEQ = MethodHandles.lookup().findVarHandle(Session.class, "storeSeq", long.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }
    /** Taken by publishers on any thread (through {@link #STORE_SEQ}): a field, not an AtomicLong per session. */
    private volatile long storeSeq = 1;

    private volatile boolean persistent;
    private long expiryIntervalSeconds;
    private volatile Outlet outlet;
    private volatile boolean online;
    private volatile boolean ended;
    /** Whether a record of this session is in the store. */
    private boolean inStore;
    private Publication connectionWill;
    private long connectionWillDelay;
    private Publication pendingWill;
    private ScheduledFuture<?> willTimer;
    private ScheduledFuture<?> expiryTimer;
    // Each collection is an empty immutable one until first written (then kept until the session ends): many
    // idle sessions never hold anything, and an empty map costs 50-90 bytes. Writers use the *ForUpdate() methods.
    /** Read by other threads (admin views): a concurrent map once written. */
    private volatile Map<String, Subscription> subscriptions = Map.of();
    private final ArrayDeque<Delivery> queue = new ArrayDeque<>(1);
    private long queuedBytes;
    private boolean queueFullLogged;
    private Map<Integer, InflightMessage> inflight = Map.of();
    private Set<Integer> awaitingPubRel = Set.of();
    private int lastPacketId;

    public Session(String clientId, EventExecutor executor, BrokerContext broker) {
        this.clientId = clientId;
        this.executor = executor;
        this.broker = broker;
        this.store = broker.store();
    }

    public String clientId() { return clientId; }
    public EventExecutor executor() { return executor; }
    /** Whether a client is attached; readable from any thread (shared subscriptions prefer online members). */
    public boolean isOnline() { return online; }
    /** Readable from any thread: the router stores QoS 1/2 messages for persistent sessions. */
    public boolean isPersistent() { return persistent; }
    public boolean hasEnded() { return ended; }

    /** Runs {@code task} on this session's executor: at once when already there, else queued in order. */
    public void execute(Runnable task) {
        if (executor.inEventLoop()) {
            task.run();
        } else {
            executor.execute(task);
        }
    }

    /** The next store sequence number; called by publishers on any thread. */
    public long nextStoreSeq() {
        return (long) STORE_SEQ.getAndAdd(this, 1L);
    }

    // ---- connection lifecycle (executor only) ----

    /**
     * Binds a newly connected client. A client still attached is disconnected first (takeover, [MQTT-3.1.4-2]);
     * its will goes out now unless it has a delay, which the resumed session cancels [MQTT-3.1.3-9]. Then
     * unacknowledged messages are resent with DUP set and PUBRELs repeated [MQTT-4.4.0-1], and the queue is
     * pumped. The caller has already sent CONNACK.
     */
    public void attach(Outlet newOutlet, boolean persistentSession, long expirySeconds, Publication will,
                       long willDelaySeconds) {
        if (outlet != null && outlet != newOutlet) {
            outlet.takenOver();
            if (connectionWill != null && connectionWillDelay == 0) {
                broker.router().publishWill(connectionWill);
            }
        }
        cancelExpiry();
        cancelPendingWill();
        outlet = newOutlet;
        online = true;
        persistent = persistentSession;
        expiryIntervalSeconds = expirySeconds;
        connectionWill = will;
        connectionWillDelay = willDelaySeconds;
        saveToStore(0);
        for (InflightMessage m : inflight.values()) {
            if (m.released) {
                newOutlet.sendPubRel(m.packetId);
            } else if (!newOutlet.sendPublish(m.delivery, m.packetId, true)) {
                broker.metrics().messagesDroppedTooLargeForClient.increment();
            }
        }
        pump();
    }

    /** The client sent a normal DISCONNECT: its will is discarded [MQTT-3.14.4-3]. */
    public void discardWill() {
        if (connectionWill != null) {
            connectionWill = null;
            saveToStore(0);
        }
    }

    /**
     * The client's connection is gone. Without a normal DISCONNECT its will is published now, or after the MQTT 5
     * will delay unless the session resumes first. A session that is not persistent ends now (publishing a waiting
     * will [MQTT-3.1.3-9]); a persistent one stays for its expiry interval. Does nothing if {@code gone} is no
     * longer the outlet (taken over).
     */
    public void detach(Outlet gone) {
        if (outlet != gone || broker.isStopping()) {
            return;
        }
        outlet = null;
        online = false;
        Publication will = connectionWill;
        connectionWill = null;
        if (will != null) {
            if (connectionWillDelay == 0) {
                broker.router().publishWill(will);
            } else {
                pendingWill = will;
                willTimer = executor.schedule(this::publishPendingWill, connectionWillDelay, TimeUnit.SECONDS);
            }
        }
        if (!persistent || expiryIntervalSeconds == 0) {
            end();
            return;
        }
        saveToStore(System.currentTimeMillis());
        scheduleExpiry(expiryIntervalSeconds * 1000);
    }

    private void scheduleExpiry(long millis) {
        if (expiryIntervalSeconds < SessionRegistry.NEVER_EXPIRES) {
            expiryTimer = executor.schedule(this::expire, millis, TimeUnit.MILLISECONDS);
        }
    }

    /** MQTT 5 DISCONNECT may change the expiry interval that applies once the connection is closed. */
    public void setExpiryInterval(long seconds) {
        expiryIntervalSeconds = seconds;
    }

    private void expire() {
        if (outlet == null && !ended) {
            LOG.info("session '{}' expired after {} s offline; {} queued messages discarded", clientId,
                    expiryIntervalSeconds, queue.size() + inflight.size());
            end();
        }
    }

    private void cancelExpiry() {
        if (expiryTimer != null) {
            expiryTimer.cancel(false);
            expiryTimer = null;
        }
    }

    private void publishPendingWill() {
        Publication will = pendingWill;
        cancelPendingWill();
        if (will != null) {
            broker.router().publishWill(will);
            saveToStore(System.currentTimeMillis());
        }
    }

    private void cancelPendingWill() {
        pendingWill = null;
        if (willTimer != null) {
            willTimer.cancel(false);
            willTimer = null;
        }
    }

    /** Another connection started a clean session with this client id: this one is over, will included. */
    public void replaced() {
        if (outlet != null) {
            outlet.takenOver();
            outlet = null;
            if (connectionWill != null) {
                broker.router().publishWill(connectionWill);
                connectionWill = null;
            }
        }
        end();
    }

    /** Ends the session: it leaves the registry, the subscription tree and the store; what it held is dropped. */
    public void end() {
        if (ended) {
            return;
        }
        ended = true;
        online = false;
        cancelExpiry();
        publishPendingWill();
        broker.sessions().remove(this);
        for (Subscription s : subscriptions.values()) {
            broker.subscriptions().remove(this, s.topicFilter(), s.shareGroup());
        }
        redistributeShared();
        subscriptions = Map.of();
        broker.queuedTotal().addAndGet(-queue.size());
        queue.clear();
        queuedBytes = 0;
        inflight = Map.of();
        awaitingPubRel = Set.of();
        if (inStore) {
            store.removeSession(clientId);
            inStore = false;
        }
    }

    /** Messages of shared subscriptions this session did not finish go to another member [MQTT-4.8.2-3]. */
    private void redistributeShared() {
        if (subscriptions.values().stream().noneMatch(s -> s.shareGroup() != null)) {
            return;
        }
        List<Delivery> unfinished = new ArrayList<>();
        inflight.values().stream().filter(m -> !m.released).forEach(m -> unfinished.add(m.delivery));
        unfinished.addAll(queue);
        for (Delivery d : unfinished) {
            for (Subscription s : subscriptions.values()) {
                if (s.shareGroup() != null && broker.router().matches(s.topicFilter(), d.publication().topic())) {
                    SharedGroup group = broker.router().sharedGroup(s);
                    Subscription other = group == null ? null : group.pickOtherThan(this);
                    if (other != null) {
                        Session target = other.session();
                        Publication p = d.publication();
                        target.execute(() -> target.deliver(p, other.qos(), d.retainFlag(), Delivery.NO_IDS));
                    }
                    break;
                }
            }
        }
    }

    /** Writes the session record (subscriptions, expiry, will) when the session is persistent and stored. */
    private void saveToStore(long disconnectedAtMillis) {
        if (!persistent || !store.durable()) {
            return;
        }
        List<StoredSession.SubscriptionRecord> subs = new ArrayList<>();
        subscriptions.values().forEach(s -> subs.add(StoredSession.SubscriptionRecord.of(s)));
        Publication will = pendingWill != null ? pendingWill : connectionWill;
        store.saveSession(new StoredSession(clientId, expiryIntervalSeconds, disconnectedAtMillis, subs, will,
                connectionWillDelay, List.of(), List.of(), Map.of()));
        inStore = true;
    }

    /**
     * Rebuilds this session from the store at start-up, offline. Its will is published after what is left of its
     * delay (a crash counts as an unclean disconnect), and its expiry timer runs for what is left.
     */
    public void restore(StoredSession stored, long nowMillis) {
        persistent = true;
        inStore = true;
        expiryIntervalSeconds = stored.expiryIntervalSeconds();
        long offlineSince = stored.disconnectedAtMillis() == 0 ? nowMillis : stored.disconnectedAtMillis();
        for (StoredSession.SubscriptionRecord r : stored.subscriptions()) {
            Subscription s = new Subscription(this, r.topicFilter(), r.shareGroup(), QoS.of(r.qos()), r.noLocal(),
                    r.retainAsPublished(), r.retainHandling(), r.subscriptionId());
            subscriptionsForUpdate().put(s.asSubscribed(), s);
            broker.subscriptions().add(s);
        }
        if (!stored.incomingQos2().isEmpty()) {
            awaitingPubRelForUpdate().addAll(stored.incomingQos2());
        }
        long maxSeq = 0;
        for (StoredEntry e : stored.entries()) {
            maxSeq = Math.max(maxSeq, e.seq());
            Publication p = stored.messages().get(e.messageId());
            Delivery d = new Delivery(p, e.qos(), e.retainFlag(), e.subscriptionIds(), e, true);
            if (e.released()) {
                InflightMessage m = new InflightMessage(e.packetId(), d);
                m.released = true;
                inflightForUpdate().put(m.packetId, m);
            } else {
                queue.add(d);
                queuedBytes += p.payload().length;
                broker.queuedTotal().incrementAndGet();
            }
        }
        storeSeq = maxSeq + 1;
        long elapsed = Math.max(0, nowMillis - offlineSince);
        if (stored.will() != null) {
            connectionWillDelay = stored.willDelaySeconds();
            pendingWill = stored.will();
            willTimer = executor.schedule(this::publishPendingWill,
                    Math.max(0, stored.willDelaySeconds() * 1000 - elapsed), TimeUnit.MILLISECONDS);
        }
        scheduleExpiry(Math.max(0, expiryIntervalSeconds * 1000 - elapsed));
    }

    // ---- subscriptions (executor only) ----

    /** @return the subscription this replaced, or null if it is new */
    public Subscription subscribe(Subscription s) {
        Subscription old = subscriptionsForUpdate().put(s.asSubscribed(), s);
        broker.subscriptions().add(s);
        saveToStore(0);
        return old;
    }

    /** @return whether there was such a subscription */
    public boolean unsubscribe(String asSubscribed) {
        Subscription s = subscriptions.isEmpty() ? null : subscriptions.remove(asSubscribed);
        if (s == null) {
            return false;
        }
        broker.subscriptions().remove(this, s.topicFilter(), s.shareGroup());
        saveToStore(0);
        return true;
    }

    /** Sends the retained messages {@code s} matches, with RETAIN set [MQTT-3.3.1-8]. */
    public void deliverRetained(Subscription s) {
        int[] ids = s.subscriptionId() == 0 ? Delivery.NO_IDS : new int[] {s.subscriptionId()};
        broker.retained().match(s.topicFilter(), p -> deliver(p, s.qos(), true, ids));
    }

    /** Readable from any thread (admin views). */
    public List<Subscription> subscriptions() {
        return List.copyOf(subscriptions.values());
    }

    // ---- outgoing messages (executor only) ----

    /** Delivers one message at {@code min(published QoS, granted QoS)}, not stored. */
    public void deliver(Publication p, QoS granted, boolean retainFlag, int[] subscriptionIds) {
        enqueueOrSend(new Delivery(p, p.qos().min(granted), retainFlag, subscriptionIds));
    }

    /** Delivers a message the router already stored for this session (or not, when {@code d.stored()} is null). */
    public void enqueueOrSend(Delivery d) {
        if (ended) {
            return;
        }
        if (outlet == null && d.qos() == QoS.AT_MOST_ONCE && !broker.config().queueQos0Messages()) {
            broker.metrics().messagesDroppedQos0Offline.increment();
            return;
        }
        if (queue.isEmpty() && canSendNow(d)) {
            send(d);
            return;
        }
        enqueue(d);
    }

    private void enqueue(Delivery d) {
        int maxMessages = broker.config().maxQueuedMessages();
        long maxBytes = broker.config().maxQueuedBytes();
        long maxTotal = broker.config().maxQueuedMessagesTotal();
        int size = d.publication().payload().length;
        boolean sessionFull = queue.size() >= maxMessages || (maxBytes > 0 && queuedBytes + size > maxBytes);
        if (sessionFull || broker.queuedTotal().get() >= maxTotal) {
            broker.metrics().messagesDroppedQueueFull.increment();
            forget(d);
            if (!queueFullLogged) {
                queueFullLogged = true;
                LOG.warn("queue of client '{}' is full ({} messages, {} bytes; max_queued_messages {}, "
                        + "max_queued_bytes {}, {} of max_queued_messages_total {} in use): dropping new messages "
                        + "until it drains", clientId, queue.size(), queuedBytes, maxMessages, maxBytes,
                        broker.queuedTotal().get(), maxTotal);
            }
            return;
        }
        queue.add(d);
        queuedBytes += size;
        broker.queuedTotal().incrementAndGet();
    }

    private boolean canSendNow(Delivery d) {
        if (outlet == null || !outlet.isWritable()) {
            return false;
        }
        if (d.qos() == QoS.AT_MOST_ONCE) {
            return true;
        }
        int window = Math.min(broker.config().maxInflightMessages(), outlet.receiveMaximum());
        return inflight.size() < window && (d.stored() == null || !inflight.containsKey(d.stored().packetId()));
    }

    /** Sends queued messages while the window and the transport allow. */
    public void pump() {
        while (!queue.isEmpty() && canSendNow(queue.peek())) {
            Delivery d = queue.poll();
            queuedBytes -= d.publication().payload().length;
            broker.queuedTotal().decrementAndGet();
            send(d);
        }
        if (queueFullLogged && queue.size() < broker.config().maxQueuedMessages() / 2) {
            queueFullLogged = false;
        }
    }

    private void send(Delivery d) {
        if (d.publication().isExpired(System.currentTimeMillis())) {
            broker.metrics().messagesDroppedExpired.increment();
            forget(d);
            return;
        }
        int packetId = 0;
        if (d.qos() != QoS.AT_MOST_ONCE) {
            packetId = d.stored() != null ? d.stored().packetId() : nextPacketId();
            inflightForUpdate().put(packetId, new InflightMessage(packetId, d));
        }
        if (outlet.sendPublish(d, packetId, d.maybeSent())) {
            broker.metrics().messageSent(d.qos().value());
        } else {
            broker.metrics().messagesDroppedTooLargeForClient.increment();
            inflight.remove(packetId);
            forget(d);
        }
    }

    /** A delivery is finished or dropped: its store entry goes. */
    private void forget(Delivery d) {
        if (d.stored() != null) {
            store.removeEntry(clientId, d.stored());
        }
    }

    private int nextPacketId() {
        do {
            lastPacketId = lastPacketId == 0xFFFF ? 1 : lastPacketId + 1;
        } while (inflight.containsKey(lastPacketId));
        return lastPacketId;
    }

    /** PUBACK for a QoS 1 message. @return false if no such message was in flight */
    public boolean onPubAck(int packetId) {
        InflightMessage m = inflight.get(packetId);
        if (m == null || m.delivery.qos() != QoS.AT_LEAST_ONCE) {
            return false;
        }
        finish(m);
        return true;
    }

    /**
     * PUBREC for a QoS 2 message: answer PUBREL, once the released state is durable.
     * @return false if no such message was in flight
     */
    public boolean onPubRec(int packetId) {
        InflightMessage m = inflight.get(packetId);
        if (m == null || m.delivery.qos() != QoS.EXACTLY_ONCE) {
            return false;
        }
        if (m.released) {
            sendPubRel(packetId);
            return true;
        }
        m.released = true;
        StoredEntry entry = m.delivery.stored();
        if (entry == null) {
            sendPubRel(packetId);
        } else {
            store.markReleased(clientId, entry);
            store.afterCommit(() -> execute(() -> sendPubRel(packetId)));
        }
        return true;
    }

    private void sendPubRel(int packetId) {
        Outlet o = outlet;
        if (o != null) {
            o.sendPubRel(packetId);
        }
    }

    /** MQTT 5 PUBREC with a failure reason: the message is finished without PUBREL [MQTT-4.3.3-4]. */
    public void onPubRecFailed(int packetId) {
        InflightMessage m = inflight.get(packetId);
        if (m != null) {
            finish(m);
        }
    }

    /** PUBCOMP ends a QoS 2 delivery. @return false if no PUBREL was outstanding for it */
    public boolean onPubComp(int packetId) {
        InflightMessage m = inflight.get(packetId);
        if (m == null || !m.released) {
            return false;
        }
        finish(m);
        return true;
    }

    private void finish(InflightMessage m) {
        inflight.remove(m.packetId);
        forget(m.delivery);
        pump();
    }

    /** An in-VM listener refused a message: it is sent again, marked DUP. */
    public void redeliver(int packetId) {
        InflightMessage m = inflight.get(packetId);
        Outlet o = outlet;
        if (m != null && o != null && !m.released) {
            o.sendPublish(m.delivery, packetId, true);
        }
    }

    // ---- incoming QoS 2 (executor only) ----

    /**
     * Notes an incoming QoS 2 packet id until PUBREL (method B of the spec: the message is routed once, on
     * receipt). @return false if the id is already awaiting PUBREL: a resent duplicate, not to be routed again
     */
    public boolean beginIncomingQos2(int packetId) {
        boolean added = awaitingPubRelForUpdate().add(packetId);
        if (added && persistent) {
            store.addIncomingQos2(clientId, packetId);
        }
        return added;
    }

    /** @return whether the id was awaiting PUBREL */
    public boolean releaseIncomingQos2(int packetId) {
        boolean removed = !awaitingPubRel.isEmpty() && awaitingPubRel.remove(packetId);
        if (removed && persistent) {
            store.removeIncomingQos2(clientId, packetId);
        }
        return removed;
    }

    private Map<String, Subscription> subscriptionsForUpdate() {
        if (!(subscriptions instanceof ConcurrentHashMap)) {
            subscriptions = new ConcurrentHashMap<>();
        }
        return subscriptions;
    }

    /** In sending order, so a reconnect resends them in the order first sent [MQTT-4.6.0-1]. */
    private Map<Integer, InflightMessage> inflightForUpdate() {
        if (!(inflight instanceof LinkedHashMap)) {
            inflight = new LinkedHashMap<>();
        }
        return inflight;
    }

    private Set<Integer> awaitingPubRelForUpdate() {
        if (!(awaitingPubRel instanceof HashSet)) {
            awaitingPubRel = new HashSet<>();
        }
        return awaitingPubRel;
    }

    /** The attached outlet or null; readable from any thread (admin views). */
    public Outlet outlet() { return outlet; }
    public int incomingQos2Count() { return awaitingPubRel.size(); }
    public int inflightCount() { return inflight.size(); }
    public int queuedCount() { return queue.size(); }
}
