package org.wrenmq.broker;

import io.netty.channel.EventLoop;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.group.ChannelGroup;
import io.netty.channel.group.DefaultChannelGroup;
import io.netty.util.concurrent.GlobalEventExecutor;
import org.wrenmq.broker.auth.Authenticator;
import org.wrenmq.broker.auth.Authorizer;
import org.wrenmq.broker.handler.KeepAliveSweep;
import org.wrenmq.broker.metrics.BrokerMetrics;
import org.wrenmq.broker.routing.RetainedTree;
import org.wrenmq.broker.routing.Router;
import org.wrenmq.broker.routing.SubscriptionTree;
import org.wrenmq.broker.session.SessionRegistry;
import org.wrenmq.broker.store.MessageStore;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/** What the parts of one running broker share. One per {@link Broker}; there is no static state. */
public final class BrokerContext {
    private final BrokerConfig config;
    private final BrokerMetrics metrics;
    private final SessionRegistry sessions = new SessionRegistry();
    private final SubscriptionTree subscriptions = new SubscriptionTree();
    private final RetainedTree retained = new RetainedTree();
    private final Router router = new Router(this);
    private final EventLoopGroup workers;
    private final Authenticator authenticator;
    private final Authorizer authorizer;
    private final MessageStore store;
    /** Messages queued across all sessions, against {@code max_queued_messages_total}. */
    private final AtomicLong queuedTotal = new AtomicLong();
    /** Every open client connection, so that a clean stop can say goodbye to each. */
    private final ChannelGroup connections = new DefaultChannelGroup("wrenmq-connections", GlobalEventExecutor.INSTANCE);
    private final Map<EventLoop, KeepAliveSweep> keepAliveSweeps = new ConcurrentHashMap<>();
    private volatile boolean stopping;

    BrokerContext(BrokerConfig config, BrokerMetrics metrics, EventLoopGroup workers, Authenticator authenticator,
                  Authorizer authorizer, MessageStore store) {
        this.config = config;
        this.metrics = metrics;
        this.workers = workers;
        this.authenticator = authenticator;
        this.authorizer = authorizer;
        this.store = store;
    }

    public BrokerConfig config() { return config; }
    public BrokerMetrics metrics() { return metrics; }
    public SessionRegistry sessions() { return sessions; }
    public SubscriptionTree subscriptions() { return subscriptions; }
    public RetainedTree retained() { return retained; }
    public Router router() { return router; }
    /** The event loops that run connections and sessions. */
    public EventLoopGroup workers() { return workers; }
    public Authenticator authenticator() { return authenticator; }
    public Authorizer authorizer() { return authorizer; }
    public MessageStore store() { return store; }
    public AtomicLong queuedTotal() { return queuedTotal; }
    public ChannelGroup connections() { return connections; }
    /** The keepalive sweep of one event loop, started when its first connection needs one. */
    public KeepAliveSweep keepAliveSweep(EventLoop loop) {
        return keepAliveSweeps.computeIfAbsent(loop, KeepAliveSweep::start);
    }

    /**
     * True once a clean stop began: connections then close without ending sessions or publishing wills, so the
     * store keeps every session as it was (a will then fires after the restart, as after a crash).
     */
    public boolean isStopping() { return stopping; }

    void stopping() { stopping = true; }
}
