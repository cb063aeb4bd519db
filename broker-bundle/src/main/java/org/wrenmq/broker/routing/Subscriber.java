package org.wrenmq.broker.routing;

import io.netty.util.concurrent.EventExecutor;

/**
 * What the router delivers to: a client's session today, one more kind of receiver (a bridge, a cluster node)
 * tomorrow. Routing owns this interface so that it never depends on the session package.
 *
 * <p>Threading: {@link #enqueueOrSend} runs on {@link #executor()} only; the other methods are callable from any
 * thread (the router calls them on the publisher's thread).
 */
public interface Subscriber {

    String clientId();

    /** The event loop this subscriber's state lives on: deliveries are handed to it there. */
    EventExecutor executor();

    /** Whether a client is attached (shared subscription groups prefer online members). */
    boolean isOnline();

    /**
     * Whether QoS 1/2 messages for it are written to the store before the publisher is acknowledged: a client's
     * persistent session; not a receiver that passes messages on (a cluster node, a moved session's stub).
     */
    default boolean isPersistent() {
        return false;
    }

    /** The next store sequence number for a stored delivery to this subscriber; asked only when persistent. */
    default long nextStoreSeq() {
        throw new UnsupportedOperationException(this + " keeps no stored deliveries");
    }

    /** Whether it may receive a message on {@code topic} (the acl_file's read rights); any thread. */
    default boolean mayRead(String topic) {
        return true;
    }

    /** Takes one delivery: sends it now or queues it. On {@link #executor()} only. */
    void enqueueOrSend(Delivery d);
}
