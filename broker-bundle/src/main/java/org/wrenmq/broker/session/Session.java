package org.wrenmq.broker.session;

import io.netty.util.concurrent.EventExecutor;
import io.netty.util.concurrent.ScheduledFuture;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.wrenmq.api.QoS;
import org.wrenmq.broker.BrokerContext;
import org.wrenmq.broker.message.Publication;
import org.wrenmq.broker.routing.SharedGroup;
import org.wrenmq.broker.routing.Subscription;

/**
 * The broker's state for one client id: its subscriptions, the messages in flight to it, those queued behind
 * them, and the packet ids of incoming QoS 2 messages awaiting PUBREL. It outlives connections when persistent.
 *
 * <p>Threading: every field is touched on {@link #executor()} only (an event loop chosen when the session was
 * created), so no lock guards it. Callers on other threads go through {@link #execute}; messages from one
 * publisher reach the executor in publish order, which keeps MQTT's ordering guarantee [MQTT-4.6.0-5].
 *
 * <p>Flow: a delivery is sent at once while the outlet is writable and, for QoS 1/2, fewer than the inflight
 * maximum are unacknowledged; otherwise it waits in the queue, bounded by {@code max_queued_messages} and
 * {@code max_queued_bytes}. Each acknowledgement or writability change pumps the queue.
 */
public final class Session {
    private static final Logger LOG = LoggerFactory.getLogger(Session.class);

    private final String clientId;
    private final EventExecutor executor;
    private final BrokerContext broker;

    private boolean persistent;
    private long expiryIntervalSeconds;
    private volatile Outlet outlet;
    private volatile boolean online;
    private volatile boolean ended;
    private Publication pendingWill;
    private ScheduledFuture<?> willTimer;
    private final Map<String, Subscription> subscriptions = new ConcurrentHashMap<>();
    private final ArrayDeque<Delivery> queue = new ArrayDeque<>();
    private long queuedBytes;
    private boolean queueFullLogged;
    private final LinkedHashMap<Integer, InflightMessage> inflight = new LinkedHashMap<>();
    private final Set<Integer> awaitingPubRel = new HashSet<>();
    private int lastPacketId;
    private ScheduledFuture<?> expiryTimer;

    public Session(String clientId, EventExecutor executor, BrokerContext broker) {
        this.clientId = clientId;
        this.executor = executor;
        this.broker = broker;
    }

    public String clientId() { return clientId; }
    public EventExecutor executor() { return executor; }
    /** Whether a client is attached; readable from any thread (shared subscriptions prefer online members). */
    public boolean isOnline() { return online; }

    /** Runs {@code task} on this session's executor: at once when already there, else queued in order. */
    public void execute(Runnable task) {
        if (executor.inEventLoop()) {
            task.run();
        } else {
            executor.execute(task);
        }
    }

    // ---- connection lifecycle (executor only) ----

    /**
     * Binds a newly connected client. A client still attached is disconnected first (takeover, [MQTT-3.1.4-2]).
     * Then unacknowledged messages are resent with DUP set and PUBRELs repeated [MQTT-4.4.0-1], and the queue
     * is pumped. The caller has already sent CONNACK.
     */
    public void attach(Outlet newOutlet, boolean persistentSession, long expirySeconds) {
        if (outlet != null && outlet != newOutlet) {
            outlet.takenOver();
        }
        cancelExpiry();
        cancelPendingWill();
        outlet = newOutlet;
        online = true;
        persistent = persistentSession;
        expiryIntervalSeconds = expirySeconds;
        for (InflightMessage m : inflight.values()) {
            if (m.released) {
                newOutlet.sendPubRel(m.packetId);
            } else if (!newOutlet.sendPublish(m.delivery, m.packetId, true)) {
                broker.metrics().messagesDroppedTooLargeForClient.increment();
            }
        }
        pump();
    }

    /**
     * The client's connection is gone. A session that is not persistent ends now; a persistent one stays for its
     * expiry interval. Does nothing if {@code gone} is not the current outlet (already taken over).
     */
    public void detach(Outlet gone) {
        if (outlet != gone) {
            return;
        }
        outlet = null;
        online = false;
        if (!persistent || expiryIntervalSeconds == 0) {
            end();
        } else if (expiryIntervalSeconds < SessionRegistry.NEVER_EXPIRES) {
            expiryTimer = executor.schedule(this::expire, expiryIntervalSeconds, TimeUnit.SECONDS);
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

    /**
     * A connection closed without DISCONNECT: its will is published now, or after the MQTT 5 will delay unless
     * the session resumes first [MQTT-3.1.3-9] or ends first, which publishes it at once.
     */
    public void publishWill(Outlet gone, Publication will, long delaySeconds) {
        if (delaySeconds == 0) {
            broker.router().publishWill(will);
        } else if (outlet == null || outlet == gone) {
            pendingWill = will;
            willTimer = executor.schedule(this::publishPendingWill, delaySeconds, TimeUnit.SECONDS);
        }
    }

    private void publishPendingWill() {
        Publication will = pendingWill;
        cancelPendingWill();
        if (will != null) {
            broker.router().publishWill(will);
        }
    }

    private void cancelPendingWill() {
        pendingWill = null;
        if (willTimer != null) {
            willTimer.cancel(false);
            willTimer = null;
        }
    }

    /** Another connection started a clean session with this client id: this one is over. */
    public void replaced() {
        if (outlet != null) {
            outlet.takenOver();
            outlet = null;
        }
        end();
    }

    /** Ends the session: it leaves the registry and the subscription tree, and what it held is discarded. */
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
        subscriptions.clear();
        queue.clear();
        queuedBytes = 0;
        inflight.clear();
        awaitingPubRel.clear();
    }

    /** Messages of shared subscriptions this session did not finish go to another member [MQTT-4.8.2-3]. */
    private void redistributeShared() {
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
                        Delivery moved = new Delivery(d.publication(), d.publication().qos().min(other.qos()),
                                d.retainFlag(), Delivery.NO_IDS);
                        target.execute(() -> target.enqueueOrSend(moved));
                    }
                    break;
                }
            }
        }
    }

    public boolean hasEnded() {
        return ended;
    }

    // ---- subscriptions (executor only) ----

    /** @return the subscription this replaced, or null if it is new */
    public Subscription subscribe(Subscription s) {
        Subscription old = subscriptions.put(s.asSubscribed(), s);
        broker.subscriptions().add(s);
        return old;
    }

    /** @return whether there was such a subscription */
    public boolean unsubscribe(String asSubscribed) {
        Subscription s = subscriptions.remove(asSubscribed);
        if (s == null) {
            return false;
        }
        broker.subscriptions().remove(this, s.topicFilter(), s.shareGroup());
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

    /** Delivers one message at {@code min(published QoS, granted QoS)}. */
    public void deliver(Publication p, QoS granted, boolean retainFlag, int[] subscriptionIds) {
        if (ended) {
            return;
        }
        enqueueOrSend(new Delivery(p, p.qos().min(granted), retainFlag, subscriptionIds));
    }

    void enqueueOrSend(Delivery d) {
        if (ended) {
            return;
        }
        if (outlet == null && d.qos() == QoS.AT_MOST_ONCE && !broker.config().queueQos0Messages()) {
            broker.metrics().messagesDroppedQos0Offline.increment();
            return;
        }
        if (queue.isEmpty() && canSendNow(d.qos())) {
            send(d);
            return;
        }
        enqueue(d);
    }

    private void enqueue(Delivery d) {
        int maxMessages = broker.config().maxQueuedMessages();
        long maxBytes = broker.config().maxQueuedBytes();
        int size = d.publication().payload().length;
        if (queue.size() >= maxMessages || (maxBytes > 0 && queuedBytes + size > maxBytes)) {
            broker.metrics().messagesDroppedQueueFull.increment();
            if (!queueFullLogged) {
                queueFullLogged = true;
                LOG.warn("queue of client '{}' is full ({} messages, {} bytes; max_queued_messages {}, "
                        + "max_queued_bytes {}): dropping new messages until it drains", clientId, queue.size(),
                        queuedBytes, maxMessages, maxBytes);
            }
            return;
        }
        queue.add(d);
        queuedBytes += size;
    }

    private boolean canSendNow(QoS qos) {
        if (outlet == null || !outlet.isWritable()) {
            return false;
        }
        if (qos == QoS.AT_MOST_ONCE) {
            return true;
        }
        int window = Math.min(broker.config().maxInflightMessages(), outlet.receiveMaximum());
        return inflight.size() < window;
    }

    /** Sends queued messages while the window and the transport allow. */
    public void pump() {
        long now = System.currentTimeMillis();
        while (!queue.isEmpty() && canSendNow(queue.peek().qos())) {
            Delivery d = queue.poll();
            queuedBytes -= d.publication().payload().length;
            if (d.publication().isExpired(now)) {
                broker.metrics().messagesDroppedExpired.increment();
                continue;
            }
            send(d);
        }
        if (queueFullLogged && queue.size() < broker.config().maxQueuedMessages() / 2) {
            queueFullLogged = false;
        }
    }

    private void send(Delivery d) {
        int packetId = 0;
        if (d.qos() != QoS.AT_MOST_ONCE) {
            packetId = nextPacketId();
            inflight.put(packetId, new InflightMessage(packetId, d));
        }
        if (outlet.sendPublish(d, packetId, false)) {
            broker.metrics().messagesSent.increment();
        } else {
            broker.metrics().messagesDroppedTooLargeForClient.increment();
            inflight.remove(packetId);
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
        inflight.remove(packetId);
        pump();
        return true;
    }

    /** PUBREC for a QoS 2 message: answer PUBREL. @return false if no such message was in flight */
    public boolean onPubRec(int packetId) {
        InflightMessage m = inflight.get(packetId);
        if (m == null || m.delivery.qos() != QoS.EXACTLY_ONCE) {
            return false;
        }
        m.released = true;
        if (outlet != null) {
            outlet.sendPubRel(packetId);
        }
        return true;
    }

    /** MQTT 5 PUBREC with a failure reason: the message is finished without PUBREL [MQTT-4.3.3-4]. */
    public void onPubRecFailed(int packetId) {
        if (inflight.remove(packetId) != null) {
            pump();
        }
    }

    /** PUBCOMP ends a QoS 2 delivery. @return false if no PUBREL was outstanding for it */
    public boolean onPubComp(int packetId) {
        InflightMessage m = inflight.get(packetId);
        if (m == null || !m.released) {
            return false;
        }
        inflight.remove(packetId);
        pump();
        return true;
    }

    /** An in-VM listener refused a message: it is sent again, marked DUP. */
    public void redeliver(int packetId) {
        InflightMessage m = inflight.get(packetId);
        if (m != null && outlet != null && !m.released) {
            outlet.sendPublish(m.delivery, packetId, true);
        }
    }

    // ---- incoming QoS 2 (executor only) ----

    /**
     * Notes an incoming QoS 2 packet id until PUBREL (method B of the spec: the message is routed once, on
     * receipt). @return false if the id is already awaiting PUBREL: a resent duplicate, not to be routed again
     */
    public boolean beginIncomingQos2(int packetId) {
        return awaitingPubRel.add(packetId);
    }

    /** @return whether the id was awaiting PUBREL */
    public boolean releaseIncomingQos2(int packetId) {
        return awaitingPubRel.remove(packetId);
    }

    /** The attached outlet or null; readable from any thread (admin views). */
    public Outlet outlet() { return outlet; }
    public int incomingQos2Count() { return awaitingPubRel.size(); }
    public int inflightCount() { return inflight.size(); }
    public int queuedCount() { return queue.size(); }
    public boolean isPersistent() { return persistent; }
}
