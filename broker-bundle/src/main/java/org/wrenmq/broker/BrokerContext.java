package org.wrenmq.broker;

import io.netty.channel.EventLoopGroup;
import org.wrenmq.broker.auth.Authenticator;
import org.wrenmq.broker.metrics.BrokerMetrics;
import org.wrenmq.broker.routing.RetainedTree;
import org.wrenmq.broker.routing.Router;
import org.wrenmq.broker.routing.SubscriptionTree;
import org.wrenmq.broker.session.SessionRegistry;
import org.wrenmq.broker.store.MessageStore;
import java.util.concurrent.atomic.AtomicLong;

/** What the parts of one running broker share. One per {@link Broker}; there is no static state. */
public final class BrokerContext {
    private final BrokerConfig config;
    private final BrokerMetrics metrics = new BrokerMetrics();
    private final SessionRegistry sessions = new SessionRegistry();
    private final SubscriptionTree subscriptions = new SubscriptionTree();
    private final RetainedTree retained = new RetainedTree();
    private final Router router = new Router(this);
    private final EventLoopGroup workers;
    private final Authenticator authenticator;
    private final MessageStore store;
    /** Messages queued across all sessions, against {@code max_queued_messages_total}. */
    private final AtomicLong queuedTotal = new AtomicLong();

    BrokerContext(BrokerConfig config, EventLoopGroup workers, Authenticator authenticator, MessageStore store) {
        this.config = config;
        this.workers = workers;
        this.authenticator = authenticator;
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
    public MessageStore store() { return store; }
    public AtomicLong queuedTotal() { return queuedTotal; }
}
