package org.wrenmq.broker;

import io.netty.channel.EventLoopGroup;
import io.netty.channel.group.ChannelGroup;
import io.netty.channel.group.DefaultChannelGroup;
import io.netty.util.concurrent.GlobalEventExecutor;
import java.util.concurrent.atomic.AtomicLong;
import org.wrenmq.broker.auth.Authenticator;
import org.wrenmq.broker.logging.LogThrottle;
import org.wrenmq.broker.auth.Authorizer;
import org.wrenmq.broker.auth.LoginRefusals;
import org.wrenmq.broker.metrics.BrokerMetrics;
import org.wrenmq.broker.routing.PublishCheck;
import org.wrenmq.broker.routing.RetainedTree;
import org.wrenmq.broker.routing.Router;
import org.wrenmq.broker.routing.SubscriptionTree;
import org.wrenmq.broker.session.SessionRegistry;
import org.wrenmq.broker.session.SessionServices;
import org.wrenmq.broker.store.MessageStore;
import org.wrenmq.broker.time.BrokerClock;
import org.wrenmq.broker.admission.PendingConnections;

/**
 * The parts of one running broker, built here in dependency order, and what the connection layer
 * ({@code handler/}, {@code transport/}) reaches through it. The core below (router, sessions, store) gets its
 * collaborators by constructor and never sees this class. One per {@link Broker}; there is no static state.
 */
public final class BrokerContext {
    private final BrokerConfig config;
    private final BrokerMetrics metrics;
    private final SessionRegistry sessions = new SessionRegistry();
    private final SubscriptionTree subscriptions = new SubscriptionTree();
    private final BrokerClock clock;
    private final RetainedTree retained;
    private final Router router;
    private final EventLoopGroup workers;
    private final Authenticator authenticator;
    private final Authorizer authorizer;
    private final MessageStore store;
    /** Messages queued across all sessions, against {@code max_queued_messages_total}. */
    private final AtomicLong queuedTotal = new AtomicLong();
    private final SessionServices sessionServices;
    private final PublishCheck publishCheck;
    /** Every open client connection, so that a clean stop can say goodbye to each. */
    private final ChannelGroup connections = new DefaultChannelGroup("wrenmq-connections", GlobalEventExecutor.INSTANCE);
    private final PendingConnections pendingConnections;
    private final LoginRefusals loginRefusals;
    private volatile boolean stopping;

    BrokerContext(BrokerConfig config, BrokerClock clock, BrokerMetrics metrics, EventLoopGroup workers,
                  Authenticator authenticator, Authorizer authorizer, MessageStore store) {
        this.config = config;
        this.clock = clock;
        this.metrics = metrics;
        this.retained = new RetainedTree(clock);
        this.workers = workers;
        this.authenticator = authenticator;
        this.authorizer = authorizer;
        this.store = store;
        this.router = new Router(subscriptions, retained, store, metrics, config.retainAvailable());
        this.publishCheck = new PublishCheck(config, metrics);
        this.sessionServices = new SessionServices(config, metrics, store, sessions, subscriptions, retained, router,
                queuedTotal, this::isStopping, clock);
        this.pendingConnections = new PendingConnections(config, metrics, LogThrottle.perMinute());
        this.loginRefusals = new LoginRefusals(metrics, LogThrottle.perMinute());
    }

    public BrokerConfig config() { return config; }
    /** The broker's time: {@link BrokerClock#SYSTEM} unless a test gave one it moves by hand. */
    public BrokerClock clock() { return clock; }
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
    /** What each new session is built with. */
    public SessionServices sessionServices() { return sessionServices; }
    public ChannelGroup connections() { return connections; }
    /** The checks every incoming publication passes, from the network or in-VM. */
    public PublishCheck publishCheck() { return publishCheck; }
    /** Connections accepted and not yet past CONNECT (connect_timeout, max_pending_connections). */
    public PendingConnections pendingConnections() { return pendingConnections; }
    /** CONNECTs refused for their credentials: counted, logged once per address and user name a minute. */
    public LoginRefusals loginRefusals() { return loginRefusals; }

    /**
     * True once a clean stop began: connections then close without ending sessions or publishing wills, so the
     * store keeps every session as it was (a will then fires after the restart, as after a crash).
     */
    public boolean isStopping() { return stopping; }

    void stopping() { stopping = true; }
}
