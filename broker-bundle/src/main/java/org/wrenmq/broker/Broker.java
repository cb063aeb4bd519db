package org.wrenmq.broker;

import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.AdaptiveRecvByteBufAllocator;
import io.netty.channel.Channel;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.RecvByteBufAllocator;
import io.netty.channel.WriteBufferWaterMark;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.wrenmq.api.MqttBroker;
import org.wrenmq.api.MqttMessage;
import org.wrenmq.api.MqttPublishException;
import org.wrenmq.api.MqttPublisher;
import org.wrenmq.api.QoS;
import org.wrenmq.broker.admin.AdminOperations;
import org.wrenmq.broker.auth.Authenticator;
import org.wrenmq.broker.auth.Authorizer;
import org.wrenmq.broker.auth.ClientAccess;
import org.wrenmq.broker.auth.UserDirectory;
import org.wrenmq.broker.bridge.Bridges;
import org.wrenmq.broker.cluster.ClusterNode;
import org.wrenmq.broker.handler.KeepAliveSweeps;
import org.wrenmq.broker.handler.MqttConnectionHandler;
import org.wrenmq.broker.json.JsonWriter;
import org.wrenmq.broker.json.JsonbWriter;
import org.wrenmq.broker.metrics.BrokerMetrics;
import org.wrenmq.broker.http.HttpEndpoint;
import org.wrenmq.broker.http.Probes;
import org.wrenmq.broker.jmx.BrokerManagement;
import org.wrenmq.broker.metrics.SysTopics;
import org.wrenmq.broker.message.Publication;
import org.wrenmq.broker.routing.PublishCheck;
import org.wrenmq.broker.routing.RemoteNodes;
import org.wrenmq.broker.routing.Router;
import org.wrenmq.broker.session.LocalClient;
import org.wrenmq.broker.session.Session;
import org.wrenmq.broker.store.MessageStore;
import org.wrenmq.broker.store.MvStore;
import org.wrenmq.broker.store.StoreOpener;
import org.wrenmq.broker.store.StoredSession;
import org.wrenmq.broker.time.BrokerClock;
import org.wrenmq.broker.transport.ListenerRuntime;
import org.wrenmq.broker.transport.Listeners;
import org.wrenmq.broker.transport.MqttChannelInitializer;
import org.wrenmq.broker.transport.Transports;

/**
 * A WrenMQ broker: plain Java, no static state, started and stopped by its owner (the standalone main, an OSGi
 * component, the resource adapter, a test). It is also an in-VM {@link MqttPublisher} and a read-only
 * {@link MqttBroker} view.
 *
 * <pre>
 * try (Broker broker = Broker.builder().listener(1883, "127.0.0.1").build().start()) { ... }
 * </pre>
 */
public final class Broker implements MqttBroker, MqttPublisher, AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(Broker.class);
    /** See {@link Limits#WRITE_BUFFER_HIGH_WATER_MARK}. */
    private static final WriteBufferWaterMark WRITE_BUFFER_WATER_MARK = new WriteBufferWaterMark(
            Limits.WRITE_BUFFER_LOW_WATER_MARK, Limits.WRITE_BUFFER_HIGH_WATER_MARK);
    /** One read-size policy for all connections (each still adapts its own size): Netty makes one per channel. */
    private static final RecvByteBufAllocator READ_SIZES = new AdaptiveRecvByteBufAllocator();

    private final BrokerConfig config;
    private final BrokerClock clock;
    /** Accept and serve connections: one group, so a new connection is not handed from thread to thread. */
    private EventLoopGroup workers;
    private BrokerContext context;
    private final List<Channel> serverChannels = new ArrayList<>();
    private final JsonWriter json;
    private SysTopics sysTopics;
    /** One keepalive sweep per event loop, whichever listener its connections came through. */
    private KeepAliveSweeps keepAliveSweeps;
    /** The listeners as opened at start (the first also serves {@link #connectionInitializer()}). */
    private List<ListenerRuntime> listeners = List.of();
    /** What {@link #reload()} reads again, by name for the log: password and acl files, TLS listeners. */
    private final Map<String, Reloadable> reloadables = new java.util.LinkedHashMap<>();
    private HttpEndpoint http;
    private BrokerManagement management;
    /** The {@code connection} blocks at work (docs/bridges.md). */
    private Bridges bridges;
    /** This broker as a cluster node ({@code cluster_name}); null for a single broker. */
    private ClusterNode cluster;

    /** Who checks user names and passwords instead of a password_file (a container's realm); usually null. */
    private final UserDirectory users;

    private Broker(BrokerConfig config, BrokerClock clock, JsonWriter json, UserDirectory users) {
        this.config = config;
        this.clock = clock;
        this.json = json;
        this.users = users;
    }

    public static Builder builder() {
        return new Builder();
    }

    public BrokerConfig config() {
        return config;
    }

    /** Binds every listener. @throws BrokerStartException if one cannot be bound or a file cannot be read */
    public synchronized Broker start() {
        if (context != null) {
            throw new IllegalStateException("broker already started");
        }
        BrokerMetrics metrics = new BrokerMetrics();
        Authenticator authenticator;
        Authorizer authorizer;
        try {
            authenticator = users != null ? Authenticator.of(config.allowAnonymous(), users)
                    : Authenticator.load(config.allowAnonymous(), config.passwordFile());
            authorizer = Authorizer.load(config.aclFile(), metrics);
        } catch (ConfigException e) {
            throw new BrokerStartException(e.getMessage(), e);
        }
        addReloadable("password_file", authenticator::reload);
        addReloadable("acl_file", authorizer::reload);
        StoreOpener.Opened store = StoreOpener.open(config);
        workers = Transports.newGroup(config.ioThreads(), "wrenmq-io");
        keepAliveSweeps = new KeepAliveSweeps(clock);
        context = new BrokerContext(config, clock, metrics, workers, authenticator, authorizer,
                config.cluster() == null ? store.store() : ClusterNode.mirrored(store.store()));
        store.recovered().retained().forEach(context.retained()::put);
        if (config.cluster() != null) {
            try {
                cluster = ClusterNode.start(config.cluster(), context.router(), context.subscriptions(),
                        context.sessionServices(), context.retained(), config.retainAvailable(), workers::next);
            } catch (RuntimeException e) {
                close();
                throw new BrokerStartException("cannot join cluster '" + config.cluster().name() + "': "
                        + e.getMessage(), e);
            } catch (LinkageError e) {
                // e.g. in Payara: the server's own Hazelcast is loaded first and mixes with the one of this broker
                close();
                throw new BrokerStartException("cannot join cluster '" + config.cluster().name() + "': the Hazelcast "
                        + "classes loaded are not the ones WrenMQ ships (a server's own Hazelcast comes first?): " + e, e);
            }
        }
        restore(store.recovered());
        if (config.sysInterval() > 0) {
            SysTopics.Counts counts = new SysTopics.Counts(() -> context.sessions().size(),
                    () -> context.sessions().all().stream().mapToLong(s -> s.subscriptions().size()).sum(),
                    () -> context.retained().size(), () -> context.queuedTotal().get(),
                    () -> context.retained().payloadBytes() + context.metrics().queuedPayloadBytes.sum());
            sysTopics = new SysTopics(context.metrics(), counts, context.router()::publish, Broker.class.getPackage().getImplementationVersion() == null
                    ? "dev" : Broker.class.getPackage().getImplementationVersion());
            if (cluster != null) {
                sysTopics.addSource(cluster::sysTopics);
            }
            sysTopics.start(workers.next(), config.sysInterval());
        }
        try {
            listeners = Listeners.open(config, context.authenticator(), context.authorizer(), context.metrics());
        } catch (ConfigException e) {
            close();
            throw new BrokerStartException(e.getMessage(), e);
        }
        ServerBootstrap bootstrap = new ServerBootstrap()
                .group(workers)
                .channel(Transports.serverChannel())
                .option(ChannelOption.SO_BACKLOG, Limits.LISTEN_BACKLOG)
                .childOption(ChannelOption.TCP_NODELAY, true)
                .childOption(ChannelOption.WRITE_BUFFER_WATER_MARK, WRITE_BUFFER_WATER_MARK)
                .childOption(ChannelOption.RCVBUF_ALLOCATOR, READ_SIZES);
        for (ListenerRuntime l : listeners) {
            try {
                serverChannels.add(bootstrap.clone().childHandler(new MqttChannelInitializer(context, l, keepAliveSweeps))
                        .bind(l.address()).sync().channel());
            } catch (Exception e) {
                close();
                throw new BrokerStartException("cannot listen on " + l.config() + ": " + e.getMessage(), e);
            }
            addReloadable("listener " + l.config().describe(), l);
            LOG.info("listener {} on {}", l.config().describe(), serverChannels.get(serverChannels.size() - 1)
                    .localAddress());
        }
        InetSocketAddress first = boundAddresses().get(0);
        if (config.jmxRegistration()) {
            management = BrokerManagement.register(this, first.getAddress().getHostAddress() + ":" + first.getPort());
        }
        try {
            bridges = Bridges.start(config.bridges(), context.sessionServices(), workers);
        } catch (ConfigException e) {
            close();
            throw new BrokerStartException(e.getMessage(), e);
        }
        if (config.httpListener() != null) {
            try {
                http = HttpEndpoint.start(config.httpListener(), new HttpEndpoint.Services(this, this,
                        context.store(), context.authenticator(), context.authorizer(), json,
                        context.metrics().deliveryLatency),
                        new Probes(serverChannels, workers, context.store()));
            } catch (BrokerStartException e) {
                close();
                throw e;
            }
        }
        // last: launchers and tests take this line as "started", HTTP listener and bridges included
        LOG.info("WrenMQ listening on {} ({} transport, {} event loops)", boundAddresses(),
                Transports.nativeEpoll() ? "epoll" : "nio", config.ioThreads());
        return this;
    }

    /** Registers something {@link #reload()} reads again; a later registration under the same name replaces it. */
    public synchronized void addReloadable(String name, Reloadable reloadable) {
        reloadables.put(name, reloadable);
    }

    /**
     * Reads the password file, acl file and whatever else was registered again, as mosquitto does on SIGHUP.
     * Connections stay. Each part that fails keeps its old state and logs one ERROR line naming file and line.
     *
     * @return whether every part was reloaded
     */
    public synchronized boolean reload() {
        boolean all = true;
        for (Map.Entry<String, Reloadable> r : reloadables.entrySet()) {
            try {
                r.getValue().reload();
            } catch (Exception e) {
                all = false;
                LOG.error("reload of {} failed, the previous one stays in force: {}", r.getKey(), e.getMessage());
            }
        }
        return all;
    }

    /**
     * Puts back the persistent sessions the store held (offline until clients return), after the retained messages
     * and after joining a cluster, which drops those a surviving node adopted meanwhile.
     */
    private void restore(MessageStore.Recovered recovered) {
        long now = clock.millis();
        for (StoredSession stored : cluster == null ? recovered.sessions()
                : cluster.sessionsToRestore(recovered.sessions())) {
            Session session = context.sessions().open(stored.clientId(), false,
                    id -> new Session(id, workers.next(), context.sessionServices())).session();
            session.execute(() -> session.restore(stored, now));
        }
        if (context.store().durable()) {
            LOG.info("store {}: restored {} persistent sessions and {} retained messages",
                    config.persistenceLocation().resolve(MvStore.FILE_NAME), recovered.sessions().size(),
                    recovered.retained().size());
        }
    }

    /**
     * The pipeline a new client connection gets, to install on any channel: the fuzz tests drive a real broker
     * through Netty's {@code EmbeddedChannel} with it.
     */
    public io.netty.channel.ChannelHandler connectionInitializer() {
        return new MqttChannelInitializer(running(), listeners.get(0), keepAliveSweeps);
    }

    /** The port of the first listener, as bound (useful with port 0). */
    public int port() {
        return boundAddresses().get(0).getPort();
    }

    /** Where {@code http_listener} serves /metrics, /health and /ready, as bound; null without one. */
    public synchronized InetSocketAddress httpAddress() {
        return http == null ? null : http.address();
    }

    public synchronized List<InetSocketAddress> boundAddresses() {
        List<InetSocketAddress> out = new ArrayList<>();
        serverChannels.forEach(c -> out.add((InetSocketAddress) c.localAddress()));
        return out;
    }

    /** Closes every listening port and connection and stops every thread the broker started. */
    @Override
    public synchronized void close() {
        if (management != null) {
            management.close();
            management = null;
        }
        if (bridges != null) {
            bridges.stop();
            bridges = null;
        }
        if (http != null) {
            http.close();
            http = null;
        }
        serverChannels.forEach(c -> c.close().syncUninterruptibly());
        serverChannels.clear();
        reloadables.keySet().removeIf(name -> name.startsWith("listener "));
        if (context != null && workers != null) {
            if (sysTopics != null) {
                sysTopics.stop();
            }
            context.stopping();
            for (Channel ch : context.connections()) {
                MqttConnectionHandler connection = ch.pipeline().get(MqttConnectionHandler.class);
                if (connection != null) {
                    connection.serverShutdown();
                }
            }
            context.connections().newCloseFuture().awaitUninterruptibly(Limits.SHUTDOWN_DISCONNECT_MILLIS);
        }
        if (cluster != null) {
            cluster.close();
            cluster = null;
        }
        if (workers != null) {
            workers.shutdownGracefully(0, 2, TimeUnit.SECONDS).syncUninterruptibly();
            workers = null;
            context.store().close();
            LOG.info("WrenMQ stopped");
        }
        json.close();
    }

    /** The running broker's parts, for tests in this package that look inside. */
    BrokerContext context() {
        return running();
    }

    private BrokerContext running() {
        BrokerContext c = context;
        if (c == null || workers == null) {
            throw new IllegalStateException("broker is not running");
        }
        return c;
    }

    // ---- in-VM publishing ----

    @Override
    public CompletionStage<Void> publish(MqttMessage message) {
        BrokerContext c = running();
        PublishCheck.Refusal refusal = c.publishCheck().check(message.topic(), message.qos().value(),
                message.retain(), message.payload().length);
        if (refusal != null) {
            return CompletableFuture.failedFuture(new MqttPublishException(refusal.reasonCode(), refusal.why()));
        }
        c.metrics().messageReceived(message.qos().value(), message.payload().length);
        Router.Routed routed = c.router().route(Publication.fromApi(message, null, clock.millis()));
        CompletableFuture<Void> stored = new CompletableFuture<>();
        if (routed.wrote()) {
            c.store().afterCommit(() -> stored.complete(null));
        } else {
            stored.complete(null);
        }
        // in a cluster, also the copies for other nodes held there (as a client's PUBACK waits for), and room on
        // the nodes it went to (as a client's connection is not read before): a caller that waits is slowed
        CompletionStage<Void> done = routed.forwarded() == RemoteNodes.NOTHING_TO_WAIT ? stored
                : stored.thenCombine(routed.forwarded(), (here, there) -> null);
        return routed.nodesHaveRoom() == RemoteNodes.NOTHING_TO_WAIT ? done
                : done.thenCombine(routed.nodesHaveRoom(), (held, room) -> null);
    }

    @Override
    public CompletionStage<Void> publishJson(String topic, Object value, QoS qos) {
        String json;
        try {
            json = this.json.toJson(value);
        } catch (RuntimeException e) {
            return CompletableFuture.failedFuture(e);
        }
        return publish(MqttMessage.builder(topic).payload(json.getBytes(StandardCharsets.UTF_8)).payloadUtf8(true)
                .contentType("application/json").qos(qos).build());
    }

    /**
     * Opens (or resumes, when {@code cleanStart} is false) an in-VM client session with MQTT 3.1.1 semantics: a
     * session that is not clean never expires.
     */
    public LocalSession openLocalSession(String clientId, boolean cleanStart, int receiveMaximum,
                                         LocalSession.Handler handler) {
        return openLocalSession(clientId, cleanStart, cleanStart ? 0 : LocalSession.SESSION_NEVER_EXPIRES,
                receiveMaximum, handler);
    }

    /**
     * Opens (or resumes) an in-VM client session with MQTT 5 semantics: it outlives {@link LocalSession#close()}
     * for {@code sessionExpirySeconds} (0: it ends with the close; 4294967295: never expires).
     */
    public LocalSession openLocalSession(String clientId, boolean cleanStart, long sessionExpirySeconds,
                                         int receiveMaximum, LocalSession.Handler handler) {
        return openLocalSession(clientId, cleanStart, sessionExpirySeconds, receiveMaximum, handler,
                ClientAccess.UNCHECKED);
    }

    /**
     * {@link #openLocalSession(String, boolean, long, int, LocalSession.Handler)} for a client with the rights of
     * {@code access} (from {@link #localLogin}): a SUBSCRIBE it may read nothing under throws
     * {@link SecurityException}, and it receives only what it may read.
     */
    public LocalSession openLocalSession(String clientId, boolean cleanStart, long sessionExpirySeconds,
                                         int receiveMaximum, LocalSession.Handler handler, ClientAccess access) {
        BrokerContext c = running();
        return LocalClient.open(c.sessionServices(), c.workers().next(), clientId, cleanStart, sessionExpirySeconds,
                receiveMaximum, handler, access);
    }

    /**
     * Logs an in-VM client in with a user name and password (the resource adapter's {@code userName} and
     * {@code password}), checked as a CONNECT's: its rights under the acl_file, for {@link #publish(MqttMessage,
     * ClientAccess)} and {@link #openLocalSession(String, boolean, long, int, LocalSession.Handler, ClientAccess)}.
     * In-VM code that presents no credentials is trusted and needs no login.
     *
     * @throws SecurityException when the credentials are refused (counted and logged as a refused CONNECT)
     */
    public ClientAccess localLogin(String clientId, String userName, byte[] password) {
        BrokerContext c = running();
        Authenticator.Login login = c.authenticator().login(userName, password);
        if (login.result() != Authenticator.Result.ACCEPTED) {
            c.loginRefusals().refused("in-VM", clientId, userName, login.result());
            throw new SecurityException("user '" + userName + "' refused by the broker: unknown user name or wrong "
                    + "password");
        }
        return c.authorizer().access(clientId, userName, login.roles());
    }

    /**
     * {@link #publish(MqttMessage)} by an in-VM client with the rights of {@code access}: a topic the acl_file
     * does not let it write fails with {@link MqttPublishException} 0x87 (not authorized), as MQTT 5 answers.
     */
    public CompletionStage<Void> publish(MqttMessage message, ClientAccess access) {
        if (!access.mayPublish(message.topic())) {
            return CompletableFuture.failedFuture(new MqttPublishException(0x87,
                    "not authorized: the acl_file does not let this user write '" + message.topic() + "'"));
        }
        return publish(message);
    }

    // ---- admin view ----

    @Override
    public List<ClientInfo> clients() {
        List<ClientInfo> out = new ArrayList<>();
        for (Session s : running().sessions().all()) {
            out.add(AdminOperations.infoOf(s));
        }
        return out;
    }

    @Override
    public List<SubscriptionInfo> subscriptions() {
        List<SubscriptionInfo> out = new ArrayList<>();
        for (Session s : running().sessions().all()) {
            out.addAll(AdminOperations.subscriptionsOf(s));
        }
        return out;
    }

    @Override
    public Optional<ClientDetails> client(String clientId) {
        return admin().client(clientId);
    }

    @Override
    public boolean disconnect(String clientId) {
        return admin().disconnect(clientId);
    }

    @Override
    public List<MqttMessage> retained(String topicFilter, int limit) {
        return admin().retained(topicFilter, limit);
    }

    @Override
    public boolean deleteRetained(String topic) {
        return admin().deleteRetained(topic);
    }

    private AdminOperations admin() {
        BrokerContext c = running();
        return new AdminOperations(c.sessions(), c.retained(), c.store(), clock);
    }

    @Override
    public List<BridgeInfo> bridges() {
        running();
        Bridges b = bridges;
        return b == null ? List.of() : b.info();
    }

    @Override
    public Map<String, Long> counters() {
        BrokerContext c = running();
        Map<String, Long> m = c.metrics().snapshot();
        m.put("sessions", (long) c.sessions().size());
        m.put("retained.messages", c.retained().size());
        m.put("subscriptions", c.sessions().all().stream().mapToLong(s -> s.subscriptions().size()).sum());
        m.put("messages.queued", c.queuedTotal().get());
        Bridges b = bridges;
        if (b != null) {
            b.addCounters(m);
        }
        if (cluster != null) {
            m.putAll(cluster.counters());
        }
        return m;
    }

    /** Collects the configuration; {@link #build()} makes a broker that {@link Broker#start()} brings up. */
    public static final class Builder {
        private BrokerConfig.Builder config = BrokerConfig.builder();
        private BrokerConfig given;
        private BrokerClock clock = BrokerClock.SYSTEM;
        private JsonWriter json;
        private UserDirectory users;

        private Builder() {
        }

        /**
         * Checks user names and passwords with {@code users} (e.g. a Karaf JAAS realm) instead of a password_file;
         * its roles select the acl_file's {@code role} blocks. {@link #build()} refuses it beside a password_file.
         */
        public Builder users(UserDirectory users) {
            this.users = java.util.Objects.requireNonNull(users, "users");
            return this;
        }

        /** How {@link Broker#publishJson} writes JSON; JSON-B found on the class path unless given. */
        public Builder json(JsonWriter json) {
            this.json = java.util.Objects.requireNonNull(json, "json");
            return this;
        }

        /** The broker's time; tests give one they move by hand. */
        public Builder clock(BrokerClock clock) {
            this.clock = java.util.Objects.requireNonNull(clock, "clock");
            return this;
        }

        /** Uses a complete configuration (e.g. parsed from a file); later {@link #set} calls are not allowed. */
        public Builder config(BrokerConfig config) {
            this.given = config;
            return this;
        }

        /** One setting by its config file key. @throws ConfigException */
        public Builder set(String key, String value) {
            requireNoGivenConfig();
            config.set(key, value);
            return this;
        }

        /** Adds a listener; port 0 picks a free port. */
        public Builder listener(int port, String bindAddress) {
            requireNoGivenConfig();
            config.listener(port, bindAddress);
            return this;
        }

        public Broker build() {
            BrokerConfig built = given != null ? given : config.build();
            if (users != null && built.passwordFile() != null) {
                throw new ConfigException("password_file and " + users.describe() + " both check passwords: "
                        + "configure one of them");
            }
            return new Broker(built, clock, json != null ? json : JsonbWriter.standard(), users);
        }

        private void requireNoGivenConfig() {
            if (given != null) {
                throw new IllegalStateException("config(BrokerConfig) was given: set everything there");
            }
        }
    }
}
