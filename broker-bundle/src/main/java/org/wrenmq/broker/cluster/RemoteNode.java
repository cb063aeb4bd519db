package org.wrenmq.broker.cluster;

import com.hazelcast.topic.ITopic;
import io.netty.util.concurrent.EventExecutor;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import org.wrenmq.api.QoS;
import org.wrenmq.broker.routing.Delivery;
import org.wrenmq.broker.routing.Subscriber;
import org.wrenmq.broker.routing.Subscription;

/**
 * Another node of the cluster, as a subscriber in this node's tree of remote subscriptions: it holds one
 * subscription per filter (and shared group) that some client of that node has, so a message matches it once
 * however many of its clients subscribed. Messages go to the node's own topics ({@link NodeInbox}).
 */
final class RemoteNode implements Subscriber {
    private final UUID id;
    private final ITopic<byte[]> inbox;
    private final OrderedWrites reliableInbox;
    /** Held while a QoS 1/2 message is numbered and queued, so the numbers are queued in order. */
    private final Object reliableOrder = new Object();
    /** Numbers the messages sent to it, and pauses publishers while it is too far behind. */
    private final ForwardingWindow window;
    /** The filters it has in the remote tree, to take them out when it leaves. */
    private final Set<FilterKey> filters = ConcurrentHashMap.newKeySet();
    /** The node died and a survivor adopts its sessions: its filters leave once adopted. */
    private volatile boolean left;

    RemoteNode(UUID id, ITopic<byte[]> inbox, ITopic<byte[]> reliableInbox) {
        this(id, inbox, reliableInbox, ForwardingWindow.unbounded(id));
    }

    RemoteNode(UUID id, ITopic<byte[]> inbox, ITopic<byte[]> reliableInbox, ForwardingWindow window) {
        this.id = id;
        this.inbox = inbox;
        this.reliableInbox = new OrderedWrites(reliableInbox);
        this.window = window;
    }

    UUID id() {
        return id;
    }

    /**
     * Sends a QoS 0 message, fire and forget, numbered so that the node can count the ones lost on the way. The
     * numbering and the publish are one step, so the numbers leave in order whichever event loop sends.
     */
    synchronized void sendAtMostOnce(byte[] envelope) {
        Envelope.number(envelope, window.nextAtMostOnce());
        inbox.publish(envelope);
    }

    /**
     * Sends a QoS 1/2 message to the node's ring buffer (with backups), after the ones sent before it, numbered
     * as the window counts them.
     *
     * @return completes once the message is held there: the publisher's acknowledgement waits for it
     */
    CompletableFuture<Void> sendReliably(byte[] envelope) {
        synchronized (reliableOrder) {
            Envelope.number(envelope, window.nextReliable());
            return reliableInbox.send(envelope);
        }
    }

    /**
     * Writes a mark into the node's ring buffer behind the messages sent before it (a move's barrier marker, a
     * switched mark): not a message, so neither numbered nor counted in the window.
     */
    CompletableFuture<Void> sendMark(byte[] mark) {
        synchronized (reliableOrder) {
            return reliableInbox.send(mark);
        }
    }

    /** @return completes when the node has room for more from this one (at once unless it is too far behind) */
    CompletionStage<Void> whenOpen() {
        return window.whenOpen();
    }

    /** @return whether {@code key} is new for this node */
    boolean remember(FilterKey key) {
        return filters.add(key);
    }

    /** Its subscription on {@code key}, as kept in the remote tree (the receiving node applies its clients' QoS). */
    Subscription subscription(FilterKey key) {
        return new Subscription(this, key.topicFilter(), key.shareGroup(), QoS.EXACTLY_ONCE, false, true, 0, 0);
    }

    boolean forget(FilterKey key) {
        return filters.remove(key);
    }

    Set<FilterKey> filters() {
        return filters;
    }

    void markLeft() {
        left = true;
    }

    boolean hasLeft() {
        return left;
    }

    @Override
    public String clientId() {
        return "node " + id;
    }

    /** Never used: the forwarder sends to the node directly from the publisher's thread. */
    @Override
    public EventExecutor executor() {
        throw new UnsupportedOperationException("a remote node is sent to by the forwarder");
    }

    @Override
    public boolean isOnline() {
        return true;
    }

    @Override
    public void enqueueOrSend(Delivery d) {
        throw new UnsupportedOperationException("a remote node is sent to by the forwarder");
    }

    @Override
    public String toString() {
        return clientId();
    }
}
