package org.wrenmq.broker.session;

import io.netty.util.concurrent.EventExecutor;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.ArrayDeque;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.wrenmq.api.QoS;
import org.wrenmq.broker.auth.ClientAccess;
import org.wrenmq.broker.message.Origin;
import org.wrenmq.broker.message.Publication;
import org.wrenmq.broker.routing.Delivery;
import org.wrenmq.broker.routing.SharedGroup;
import org.wrenmq.broker.routing.Subscriber;
import org.wrenmq.broker.routing.Subscription;
import org.wrenmq.broker.store.StoredEntry;
import org.wrenmq.broker.store.StoredSession;

/**
 * The broker's state for one client id, and its lifecycle: attach, detach, takeover, expiry, end. It outlives
 * connections when persistent, and restarts when the store is durable. Each mechanism lives in a class of its
 * own, which this one drives: {@link Outbox} (messages to the client: queue, in-flight window, packet ids,
 * acknowledgements), {@link IncomingQos2} (packet ids awaiting PUBREL), {@link WillAndExpiry} (the will and the
 * two timers) and {@link SessionRecords} (the mapping to the store). The subscriptions are kept here.
 *
 * <p>Threading: the state is touched on {@link #executor()} only, so no lock guards it. That is the event loop of
 * the connection attached to the session: a session resumed by a connection on another loop moves there
 * ({@link #moveTo}), so its packets and writes never cross threads. Callers on other threads go through
 * {@link #execute}; a task that reaches the old loop after a move is passed on to the new one. Messages from one
 * publisher reach the executor in publish order, which keeps MQTT's ordering guarantee [MQTT-4.6.0-5]. The few
 * fields other threads read are volatile or concurrent.
 *
 * <p>Durability: QoS 1/2 messages for a persistent session are written to the store by the router before the
 * publisher is acknowledged; the outbox marks their entries released and removes them when finished. A stored
 * entry's packet id is derived from its sequence number, so a restart resends with the same id.
 */
public final class Session implements Subscriber {
    private static final Logger LOG = LoggerFactory.getLogger(Session.class);
    private static final VarHandle STORE_SEQ;
    static {
        try {
            STORE_SEQ = MethodHandles.lookup().findVarHandle(Session.class, "storeSeq", long.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    private final String clientId;
    private volatile EventExecutor executor;
    private final SessionServices services;
    private final Outbox outbox;
    /** While a move to another loop settles: the deliveries it holds back; null otherwise. */
    private LoopMove move;
    /** A session moved in from another cluster node: what is routed here waits behind what that node still
     *  forwards ({@link #holdForMove}); null otherwise. */
    private ArrayDeque<Delivery> heldForMove;
    /** Handed over to another cluster node: where the deliveries that still reach this session go; null otherwise. */
    private Consumer<Delivery> movedOn;
    /** Made when the first QoS 2 message comes in: most sessions never receive one. */
    private IncomingQos2 incomingQos2;
    private final WillAndExpiry willAndExpiry;
    /** Taken by publishers on any thread (through {@link #STORE_SEQ}): a field, not an AtomicLong per session. */
    private volatile long storeSeq = 1;

    private volatile boolean persistent;
    private long expiryIntervalSeconds;
    /** When the last client went away (what is left of a will delay and of the expiry counts from it). */
    private long offlineSinceMillis;
    private volatile Outlet outlet;
    private volatile boolean online;
    private volatile boolean ended;
    /** The acl_file rights of the client attached last: asked by the router and again when a message is sent. */
    private volatile ClientAccess access = ClientAccess.UNCHECKED;
    /** Whether a record of this session is in the store. */
    private boolean inStore;
    /** Read by other threads (admin views): an empty immutable map until first written, then a concurrent one. */
    private volatile Map<String, Subscription> subscriptions = Map.of();

    public Session(String clientId, EventExecutor executor, SessionServices services) {
        this.clientId = clientId;
        this.executor = executor;
        this.services = services;
        this.outbox = new Outbox(this, services);
        this.willAndExpiry = new WillAndExpiry(this, services);
    }

    @Override
    public String clientId() { return clientId; }
    @Override
    public EventExecutor executor() { return executor; }
    /** Whether a client is attached; readable from any thread (shared subscriptions prefer online members). */
    @Override
    public boolean isOnline() { return online; }
    /** Readable from any thread: the router stores QoS 1/2 messages for persistent sessions. */
    @Override
    public boolean isPersistent() { return persistent; }
    public boolean hasEnded() { return ended; }
    public ClientAccess access() { return access; }
    /** Whether the acl_file lets the attached client read {@code topic}; any thread. */
    @Override
    public boolean mayRead(String topic) { return access.mayRead(topic); }
    /** Set at CONNECT, before the session is attached; any thread. */
    public void setAccess(ClientAccess access) { this.access = access; }

    /** Runs {@code task} on this session's executor: at once when already there, else queued in order. */
    public void execute(Runnable task) {
        EventExecutor e = executor;
        if (e.inEventLoop()) {
            task.run();
        } else {
            e.execute(() -> execute(task));
        }
    }

    /**
     * Makes {@code loop} this session's executor, on the current one: from then on every task for the session runs
     * there, and the few already queued on the old loop are passed on. Timers started on the old loop pass their
     * work on the same way when they fire. Deliveries reaching the new loop directly wait until those passed on
     * have arrived ({@link LoopMove}), so a publisher's messages keep their order through the move.
     */
    public void moveTo(EventExecutor loop) {
        if (loop != executor) {
            EventExecutor left = executor;
            if (move == null) {
                move = new LoopMove();
            } else {
                move.again();
            }
            executor = loop; // the volatile write that hands `move` to the new loop
            services.metrics().sessionsMovedLoop.increment();
            LoopMove.afterRoutingOn(left, () -> execute(this::moveSettled));
        }
    }

    private void moveSettled() {
        if (move.settle(this::deliverNow)) {
            move = null;
        }
    }

    /** The next store sequence number; called by publishers on any thread. */
    @Override
    public long nextStoreSeq() {
        return (long) STORE_SEQ.getAndAdd(this, 1L);
    }

    // ---- connection lifecycle (executor only) ----

    /**
     * Binds a newly connected client. A client still attached is disconnected first (takeover, [MQTT-3.1.4-2]);
     * its will goes out now unless it has a delay, which the resumed session cancels [MQTT-3.1.3-9]. Then the
     * outbox resends what was in flight and pumps its queue. The caller has already sent CONNACK.
     */
    public void attach(Outlet newOutlet, boolean persistentSession, long expirySeconds, Publication will,
                       long willDelaySeconds) {
        if (ended) { // replaced by a later CONNECT before this one attached: that one took the client id over
            newOutlet.takenOver();
            return;
        }
        if (outlet != null && outlet != newOutlet) {
            outlet.takenOver();
            willAndExpiry.takenOver();
        }
        willAndExpiry.connected(will, willDelaySeconds);
        outlet = newOutlet;
        online = true;
        persistent = persistentSession;
        expiryIntervalSeconds = expirySeconds;
        saveToStore(0);
        outbox.connect(newOutlet);
    }

    /** The client sent a normal DISCONNECT: its will is discarded [MQTT-3.14.4-3]. */
    public void discardWill() {
        if (willAndExpiry.discard()) {
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
        if (outlet != gone || services.isStopping()) {
            return;
        }
        outlet = null;
        online = false;
        outbox.disconnect();
        willAndExpiry.disconnected(this::savedAfterDelayedWill);
        if (!persistent || expiryIntervalSeconds == 0) {
            end();
            return;
        }
        offlineSinceMillis = services.clock().millis();
        saveToStore(offlineSinceMillis);
        startExpiry(expiryIntervalSeconds * 1000);
    }

    private void startExpiry(long millis) {
        if (expiryIntervalSeconds < SessionRegistry.NEVER_EXPIRES) {
            willAndExpiry.startExpiry(millis, this::expire);
        }
    }

    /** MQTT 5 DISCONNECT may change the expiry interval that applies once the connection is closed. */
    public void setExpiryInterval(long seconds) {
        expiryIntervalSeconds = seconds;
    }

    private void expire() {
        if (outlet == null && !ended) {
            LOG.info("session '{}' expired after {} s offline; {} queued messages discarded", clientId,
                    expiryIntervalSeconds, outbox.queuedCount() + outbox.inflightCount());
            services.metrics().sessionsExpired.increment();
            end();
        }
    }

    private void savedAfterDelayedWill() {
        saveToStore(services.clock().millis());
    }

    /** Another connection started a clean session with this client id: this one is over, will included. */
    public void replaced() {
        if (outlet != null) {
            outlet.takenOver();
            outlet = null;
            outbox.disconnect();
            willAndExpiry.replaced();
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
        willAndExpiry.end();
        services.sessions().remove(this);
        for (Subscription s : subscriptions.values()) {
            services.subscriptions().remove(this, s.topicFilter(), s.shareGroup());
        }
        redistributeShared();
        subscriptions = Map.of();
        outbox.clear();
        incomingQos2 = null;
        if (inStore) {
            services.store().removeSession(clientId);
            inStore = false;
        }
    }

    /** Messages of shared subscriptions this session did not finish go to another member [MQTT-4.8.2-3]. */
    private void redistributeShared() {
        if (subscriptions.values().stream().noneMatch(s -> s.shareGroup() != null)) {
            return;
        }
        for (Delivery d : outbox.unfinished()) {
            for (Subscription s : subscriptions.values()) {
                if (s.shareGroup() != null && services.router().matches(s.topicFilter(), d.publication().topic())) {
                    SharedGroup group = services.router().sharedGroup(s);
                    Subscription other = group == null ? null : group.pickOtherThan(this);
                    if (other != null) {
                        Subscriber target = other.session();
                        Delivery copy = new Delivery(d.publication(), d.publication().qos().min(other.qos()),
                                d.retainFlag(), Delivery.NO_IDS);
                        target.executor().execute(() -> target.enqueueOrSend(copy));
                    }
                    break;
                }
            }
        }
    }

    /** Writes the session record (subscriptions, expiry, will) when the session is persistent and stored. */
    private void saveToStore(long disconnectedAtMillis) {
        if (!persistent || !services.store().durable()) {
            return;
        }
        services.store().saveSession(SessionRecords.toStored(clientId, expiryIntervalSeconds, disconnectedAtMillis,
                subscriptions.values(), willAndExpiry.willToStore(), willAndExpiry.willDelaySeconds()));
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
        offlineSinceMillis = stored.disconnectedAtMillis() == 0 ? nowMillis : stored.disconnectedAtMillis();
        for (StoredSession.SubscriptionRecord r : stored.subscriptions()) {
            Subscription s = SessionRecords.fromRecord(this, r);
            subscriptionsForUpdate().put(s.asSubscribed(), s);
            services.subscriptions().add(s);
        }
        if (!stored.incomingQos2().isEmpty()) {
            incomingQos2().restore(stored.incomingQos2());
        }
        long maxSeq = 0;
        for (StoredEntry e : stored.entries()) {
            maxSeq = Math.max(maxSeq, e.seq());
            outbox.restore(SessionRecords.delivery(e, stored.messages()), e.released());
        }
        storeSeq = maxSeq + 1;
        resumeWillDelay(stored, nowMillis);
        startExpiry(Math.max(0, expiryIntervalSeconds * 1000 - Math.max(0, nowMillis - offlineSinceMillis)));
    }

    /** A will whose delay was running goes out after what is left of it, counted from {@link #offlineSinceMillis}. */
    private void resumeWillDelay(StoredSession stored, long nowMillis) {
        if (stored.will() != null) {
            long elapsed = Math.max(0, nowMillis - offlineSinceMillis);
            willAndExpiry.restore(stored.will(), stored.willDelaySeconds(),
                    stored.willDelaySeconds() * 1000 - elapsed, this::savedAfterDelayedWill);
        }
    }

    // ---- moving between cluster nodes (executor only) ----

    /**
     * Hands this persistent session to the cluster node its client connected to: the attached connection (if any)
     * is taken over, and the session leaves this node (registry, tree, store) without publishing a will whose delay
     * is running: that will goes along.
     *
     * @return its subscriptions, expiry, when its client went away, a delayed will, the messages the client has
     *     not finished (in flight, PUBREL sent or not, and queued) as entries numbered in order, each in-flight one
     *     keeping its packet id, and the packet ids of incoming QoS 2 messages awaiting PUBREL
     */
    public StoredSession handOver(long nowMillis) {
        return handOver(nowMillis, null);
    }

    /**
     * As {@link #handOver(long)}; the deliveries that still reach this session afterwards (routed to it just
     * before, on their way to its loop) go to {@code movedOn}, their store entries removed here.
     */
    public StoredSession handOver(long nowMillis, Consumer<Delivery> movedOn) {
        this.movedOn = movedOn;
        if (outlet != null) {
            outlet.takenOver();
            willAndExpiry.takenOver();
            outlet = null;
            online = false;
            outbox.disconnect();
            offlineSinceMillis = nowMillis;
        }
        Publication delayedWill = willAndExpiry.handOver();
        Map<Long, Publication> messages = new java.util.HashMap<>();
        List<StoredEntry> entries = outbox.handOver(messages);
        List<Integer> incoming = incomingQos2 == null ? List.of() : incomingQos2.packetIds();
        StoredSession record = SessionRecords.toStored(clientId, expiryIntervalSeconds, offlineSinceMillis,
                subscriptions.values(), delayedWill, delayedWill == null ? 0 : willAndExpiry.willDelaySeconds());
        end();
        return new StoredSession(clientId, record.expiryIntervalSeconds(), offlineSinceMillis, record.subscriptions(),
                delayedWill, record.willDelaySeconds(), entries, incoming, messages);
    }

    /**
     * Takes in a session another cluster node handed over ({@link #handOver}), before its client attaches here:
     * its messages join this session's queue (QoS 1/2 written to this node's store) and go out with DUP set, with
     * their packet ids; those whose PUBREL went out wait for PUBCOMP, and the PUBREL is sent again [MQTT-4.4.0-1];
     * incoming QoS 2 packet ids still await their PUBREL here; a delayed will runs out what is left of its delay
     * unless the client attaches first; then its subscriptions join this node's tree (after the messages, so that
     * what is routed to it from now on comes after them).
     */
    public void adopt(StoredSession moved) {
        long nowMillis = services.clock().millis();
        persistent = true;
        expiryIntervalSeconds = moved.expiryIntervalSeconds();
        boolean durable = services.store().durable();
        long maxSeq = 0;
        for (StoredEntry e : moved.entries()) {
            Publication p = moved.messages().get(e.messageId());
            maxSeq = Math.max(maxSeq, e.seq());
            StoredEntry entry = null;
            if (e.qos() != QoS.AT_MOST_ONCE) {
                entry = new StoredEntry(e.seq(), durable ? services.store().addMessage(p) : 0, e.qos(),
                        e.retainFlag(), e.subscriptionIds(), e.released(), e.origin());
                if (durable) {
                    services.store().addEntry(clientId, entry);
                }
            }
            outbox.restore(new Delivery(p, e.qos(), e.retainFlag(), e.subscriptionIds(), entry, true), e.released());
        }
        storeSeq = maxSeq + 1;
        for (int packetId : moved.incomingQos2()) {
            beginIncomingQos2(packetId);
        }
        offlineSinceMillis = moved.disconnectedAtMillis() == 0 ? nowMillis : moved.disconnectedAtMillis();
        resumeWillDelay(moved, nowMillis);
        for (StoredSession.SubscriptionRecord r : moved.subscriptions()) {
            Subscription s = SessionRecords.fromRecord(this, r);
            subscriptionsForUpdate().put(s.asSubscribed(), s);
            services.subscriptions().add(s);
        }
    }

    // ---- subscriptions (executor only) ----

    /** @return the subscription this replaced, or null if it is new */
    public Subscription subscribe(Subscription s) {
        Subscription old = subscriptionsForUpdate().put(s.asSubscribed(), s);
        services.subscriptions().add(s);
        saveToStore(0);
        return old;
    }

    /** @return whether there was such a subscription */
    public boolean unsubscribe(String asSubscribed) {
        Subscription s = subscriptions.isEmpty() ? null : subscriptions.remove(asSubscribed);
        if (s == null) {
            return false;
        }
        services.subscriptions().remove(this, s.topicFilter(), s.shareGroup());
        saveToStore(0);
        return true;
    }

    /** Sends the retained messages {@code s} matches, with RETAIN set [MQTT-3.3.1-8]. */
    public void deliverRetained(Subscription s) {
        int[] ids = s.subscriptionId() == 0 ? Delivery.NO_IDS : new int[] {s.subscriptionId()};
        services.retained().match(s.topicFilter(), p -> deliver(p, s.qos(), true, ids));
    }

    /** Readable from any thread (admin views). */
    public List<Subscription> subscriptions() {
        return List.copyOf(subscriptions.values());
    }

    private Map<String, Subscription> subscriptionsForUpdate() {
        if (!(subscriptions instanceof ConcurrentHashMap)) {
            subscriptions = new ConcurrentHashMap<>();
        }
        return subscriptions;
    }

    // ---- outgoing messages (executor only), see Outbox ----

    /** Delivers one message at {@code min(published QoS, granted QoS)}, not stored. */
    public void deliver(Publication p, QoS granted, boolean retainFlag, int[] subscriptionIds) {
        enqueueOrSend(new Delivery(p, p.qos().min(granted), retainFlag, subscriptionIds));
    }

    /** Delivers a message the router already stored for this session (or not, when {@code d.stored()} is null). */
    @Override
    public void enqueueOrSend(Delivery d) {
        EventExecutor e = executor;
        if (!e.inEventLoop()) { // handed to the loop this session left
            e.execute(() -> passedOn(d));
        } else if (move != null) {
            move.hold(d);
        } else {
            deliverNow(d);
        }
    }

    /** A delivery queued on a loop this session left: published before any the move holds. */
    private void passedOn(Delivery d) {
        EventExecutor e = executor;
        if (!e.inEventLoop()) {
            e.execute(() -> passedOn(d));
        } else {
            deliverNow(d);
        }
    }

    private void deliverNow(Delivery d) {
        if (ended) {
            if (movedOn != null) {
                if (d.stored() != null) {
                    services.store().removeEntry(clientId, d.stored());
                }
                movedOn.accept(d);
            }
        } else if (heldForMove != null) {
            heldForMove.add(d);
        } else {
            outbox.enqueueOrSend(d);
        }
    }

    /**
     * Holds the deliveries routed to this session, until {@link #releaseHeldForMove}: a session moving in from
     * another cluster node gets first what that node still forwards for it ({@link #deliverMoved}).
     */
    public void holdForMove() {
        heldForMove = new ArrayDeque<>();
    }

    /**
     * The old node forwards nothing more: the deliveries held go out, in the order they came.
     *
     * @return how many were held
     */
    public int releaseHeldForMove() {
        ArrayDeque<Delivery> held = heldForMove;
        heldForMove = null;
        if (held == null || ended) {
            return 0;
        }
        held.forEach(outbox::enqueueOrSend);
        return held.size();
    }

    /**
     * A message the node this session moved from received for it after the hand-over: it goes out ahead of what
     * {@link #holdForMove} holds; QoS 1/2 written to the store as the router writes them, with the message's identity
     * ({@code origin}, null when not known) as the router keeps it.
     */
    public void deliverMoved(Publication p, QoS qos, boolean retainFlag, int[] subscriptionIds, Origin origin) {
        if (ended) {
            return;
        }
        StoredEntry entry = null;
        if (qos != QoS.AT_MOST_ONCE && persistent && services.store().durable()) {
            entry = new StoredEntry(nextStoreSeq(), services.store().addMessage(p), qos, retainFlag, subscriptionIds,
                    false, origin);
            services.store().addEntry(clientId, entry);
        }
        outbox.enqueueOrSend(new Delivery(p, qos, retainFlag, subscriptionIds, entry, false));
    }

    /**
     * What the client has neither received nor acknowledged (in-flight messages before their PUBREC, then the
     * queue), each with its store entry: what a copy of this session kept on another cluster node takes in when this
     * one ends after a split brain.
     */
    public List<Delivery> unfinished() {
        return outbox.unfinished();
    }

    /** Runs {@code then} on {@code loop} once every loop of its group finished the task it was running. */
    public static void afterRoutingOn(EventExecutor loop, Runnable then) {
        LoopMove.afterRoutingOn(loop, then);
    }

    /** Sends queued messages while the window and the transport allow. */
    public void pump() {
        outbox.pump();
    }

    /** PUBACK for a QoS 1 message. @return false if no such message was in flight */
    public boolean onPubAck(int packetId) {
        return outbox.onPubAck(packetId);
    }

    /** PUBREC for a QoS 2 message: answer PUBREL, once the released state is durable. @return false if unknown */
    public boolean onPubRec(int packetId) {
        return outbox.onPubRec(packetId);
    }

    /** MQTT 5 PUBREC with a failure reason: the message is finished without PUBREL [MQTT-4.3.3-4]. */
    public void onPubRecFailed(int packetId) {
        outbox.onPubRecFailed(packetId);
    }

    /** PUBCOMP ends a QoS 2 delivery. @return false if no PUBREL was outstanding for it */
    public boolean onPubComp(int packetId) {
        return outbox.onPubComp(packetId);
    }

    /** An in-VM listener refused a message: it is sent again, marked DUP. */
    public void redeliver(int packetId) {
        outbox.redeliver(packetId);
    }

    // ---- incoming QoS 2 (executor only), see IncomingQos2 ----

    /** @return false if the id is already awaiting PUBREL: a resent duplicate, not to be routed again */
    public boolean beginIncomingQos2(int packetId) {
        return incomingQos2().begin(packetId, persistent);
    }

    /** @return whether the id was awaiting PUBREL */
    public boolean releaseIncomingQos2(int packetId) {
        return incomingQos2 != null && incomingQos2.release(packetId, persistent);
    }

    private IncomingQos2 incomingQos2() {
        if (incomingQos2 == null) {
            incomingQos2 = new IncomingQos2(clientId, services.store());
        }
        return incomingQos2;
    }

    /** The attached outlet or null; readable from any thread (admin views). */
    public Outlet outlet() { return outlet; }
    public int incomingQos2Count() {
        IncomingQos2 q = incomingQos2;
        return q == null ? 0 : q.count();
    }
    public int inflightCount() { return outbox.inflightCount(); }
    public int queuedCount() { return outbox.queuedCount(); }
    /** QoS 0 messages dropped because no client was attached (a bridge's: while its remote was unreachable). */
    public long droppedQos0Offline() { return outbox.droppedQos0Offline(); }
}
