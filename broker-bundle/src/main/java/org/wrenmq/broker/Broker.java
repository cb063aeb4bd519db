package org.wrenmq.broker;

import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.AdaptiveRecvByteBufAllocator;
import io.netty.channel.Channel;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.RecvByteBufAllocator;
import io.netty.channel.WriteBufferWaterMark;
import jakarta.json.bind.Jsonb;
import jakarta.json.spi.JsonProvider;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.ServiceLoader;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;
import org.eclipse.parsson.api.BufferPool;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.wrenmq.api.MqttBroker;
import org.wrenmq.api.MqttMessage;
import org.wrenmq.api.MqttPublishException;
import org.wrenmq.api.MqttPublisher;
import org.wrenmq.api.QoS;
import org.wrenmq.broker.auth.Authenticator;
import org.wrenmq.broker.auth.PasswordFile;
import org.wrenmq.broker.handler.MqttConnectionHandler;
import org.wrenmq.broker.http.HttpEndpoint;
import org.wrenmq.broker.http.Probes;
import org.wrenmq.broker.metrics.SysTopics;
import org.wrenmq.broker.message.Publication;
import org.wrenmq.broker.routing.Subscription;
import org.wrenmq.broker.routing.Topics;
import org.wrenmq.broker.session.LocalClient;
import org.wrenmq.broker.session.Outlet;
import org.wrenmq.broker.session.Session;
import org.wrenmq.broker.store.MessageStore;
import org.wrenmq.broker.store.MvStore;
import org.wrenmq.broker.store.StoreOpener;
import org.wrenmq.broker.store.StoredSession;
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
    private static final int MQTT_PUBLISH_REFUSED_TOPIC_NAME_INVALID = 0x90;
    private static final int MQTT_PUBLISH_REFUSED_PACKET_TOO_LARGE = 0x95;
    /**
     * A connection stops taking messages (they wait in the session's bounded queue) once this much is buffered
     * towards a slow client: room for bursts of a client that keeps up, and a bound for one that does not.
     */
    private static final WriteBufferWaterMark WRITE_BUFFER_WATER_MARK = new WriteBufferWaterMark(512 * 1024, 1024 * 1024);
    /** One read-size policy for all connections (each still adapts its own size): Netty makes one per channel. */
    private static final RecvByteBufAllocator READ_SIZES = new AdaptiveRecvByteBufAllocator();
    /** How long a clean stop waits for the goodbye DISCONNECTs (MQTT 5: 0x8B) to be written. */
    private static final long SHUTDOWN_DISCONNECT_MILLIS = 2000;

    private final BrokerConfig config;
    /** Accept and serve connections: one group, so a new connection is not handed from thread to thread. */
    private EventLoopGroup workers;
    private BrokerContext context;
    private final List<Channel> serverChannels = new ArrayList<>();
    private Jsonb jsonb;
    private SysTopics sysTopics;
    private HttpEndpoint http;

    private Broker(BrokerConfig config) {
        this.config = config;
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
        PasswordFile passwords;
        try {
            passwords = config.passwordFile() == null ? null : PasswordFile.read(config.passwordFile());
        } catch (ConfigException e) {
            throw new BrokerStartException(e.getMessage(), e);
        }
        StoreOpener.Opened store = StoreOpener.open(config);
        workers = Transports.newGroup(config.ioThreads(), "wrenmq-io");
        context = new BrokerContext(config, workers, new Authenticator(config.allowAnonymous(), passwords),
                store.store());
        restore(store.recovered());
        if (config.sysInterval() > 0) {
            sysTopics = new SysTopics(context, Broker.class.getPackage().getImplementationVersion() == null
                    ? "dev" : Broker.class.getPackage().getImplementationVersion());
            sysTopics.start(workers.next(), config.sysInterval());
        }
        ServerBootstrap bootstrap = new ServerBootstrap()
                .group(workers)
                .channel(Transports.serverChannel())
                .option(ChannelOption.SO_BACKLOG, 1024)
                .childOption(ChannelOption.TCP_NODELAY, true)
                .childOption(ChannelOption.WRITE_BUFFER_WATER_MARK, WRITE_BUFFER_WATER_MARK)
                .childOption(ChannelOption.RCVBUF_ALLOCATOR, READ_SIZES)
                .childHandler(new MqttChannelInitializer(context));
        for (ListenerConfig l : config.listeners()) {
            InetSocketAddress address = l.bindAddress() == null
                    ? new InetSocketAddress(l.port()) : new InetSocketAddress(l.bindAddress(), l.port());
            try {
                serverChannels.add(bootstrap.bind(address).sync().channel());
            } catch (Exception e) {
                close();
                throw new BrokerStartException("cannot listen on " + l + ": " + e.getMessage(), e);
            }
        }
        LOG.info("WrenMQ listening on {} ({} transport, {} event loops)", boundAddresses(),
                Transports.nativeEpoll() ? "epoll" : "nio", config.ioThreads());
        if (config.httpListener() != null) {
            try {
                http = HttpEndpoint.start(config.httpListener(), this, context.store(), context.authenticator(),
                        new Probes(serverChannels, workers, context.store()));
            } catch (BrokerStartException e) {
                close();
                throw e;
            }
        }
        return this;
    }

    /** Puts back what the store held: retained messages, and persistent sessions (offline until clients return). */
    private void restore(MessageStore.Recovered recovered) {
        recovered.retained().forEach(context.retained()::put);
        long now = System.currentTimeMillis();
        for (StoredSession stored : recovered.sessions()) {
            Session session = context.sessions().open(stored.clientId(), false,
                    id -> new Session(id, workers.next(), context)).session();
            session.execute(() -> session.restore(stored, now));
        }
        if (context.store().durable()) {
            LOG.info("store {}: restored {} persistent sessions and {} retained messages",
                    config.persistenceLocation().resolve(MvStore.FILE_NAME), recovered.sessions().size(),
                    recovered.retained().size());
        }
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
        if (http != null) {
            http.close();
            http = null;
        }
        serverChannels.forEach(c -> c.close().syncUninterruptibly());
        serverChannels.clear();
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
            context.connections().newCloseFuture().awaitUninterruptibly(SHUTDOWN_DISCONNECT_MILLIS);
        }
        if (workers != null) {
            workers.shutdownGracefully(0, 2, TimeUnit.SECONDS).syncUninterruptibly();
            workers = null;
            context.store().close();
            LOG.info("WrenMQ stopped");
        }
        if (jsonb != null) {
            try {
                jsonb.close();
            } catch (Exception e) {
                LOG.debug("closing JSON-B: {}", e.toString());
            }
            jsonb = null;
        }
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
        String error = Topics.topicNameError(message.topic());
        if (error != null) {
            return CompletableFuture.failedFuture(
                    new MqttPublishException(MQTT_PUBLISH_REFUSED_TOPIC_NAME_INVALID, error));
        }
        int size = message.payload().length;
        if (size > config.messageSizeLimit()) {
            c.metrics().messagesRefusedSizeLimit.increment();
            return CompletableFuture.failedFuture(new MqttPublishException(MQTT_PUBLISH_REFUSED_PACKET_TOO_LARGE,
                    "payload of " + size + " bytes exceeds message_size_limit " + config.messageSizeLimit()));
        }
        c.metrics().messageReceived(message.qos().value());
        if (!c.router().publish(Publication.fromApi(message, null, System.currentTimeMillis()))) {
            return CompletableFuture.completedFuture(null);
        }
        CompletableFuture<Void> stored = new CompletableFuture<>();
        c.store().afterCommit(() -> stored.complete(null));
        return stored;
    }

    @Override
    public CompletionStage<Void> publishJson(String topic, Object value, QoS qos) {
        String json;
        try {
            json = jsonb().toJson(value);
        } catch (RuntimeException e) {
            return CompletableFuture.failedFuture(e);
        }
        return publish(MqttMessage.builder(topic).payload(json.getBytes(StandardCharsets.UTF_8)).payloadUtf8(true)
                .contentType("application/json").qos(qos).build());
    }

    private synchronized Jsonb jsonb() {
        if (jsonb == null) {
            // Explicit providers: ServiceLoader does not see across OSGi bundles, so JSON-B (Yasson) is created
            // directly and given the JSON-P provider found through Parsson's own class loader.
            JsonProvider jsonp = ServiceLoader.load(JsonProvider.class, BufferPool.class.getClassLoader())
                    .findFirst().orElseGet(JsonProvider::provider);
            jsonb = new org.eclipse.yasson.JsonBindingProvider().create().withProvider(jsonp).build();
        }
        return jsonb;
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
        return LocalClient.open(running(), clientId, cleanStart, sessionExpirySeconds, receiveMaximum, handler);
    }

    // ---- admin view ----

    @Override
    public List<ClientInfo> clients() {
        List<ClientInfo> out = new ArrayList<>();
        for (Session s : running().sessions().all()) {
            Outlet o = s.outlet();
            out.add(new ClientInfo(s.clientId(), o != null, o == null ? null : o.remoteAddress(),
                    o == null ? 0 : o.protocolVersion(), s.isPersistent(), s.inflightCount(), s.queuedCount()));
        }
        return out;
    }

    @Override
    public List<SubscriptionInfo> subscriptions() {
        List<SubscriptionInfo> out = new ArrayList<>();
        for (Session s : running().sessions().all()) {
            for (Subscription sub : s.subscriptions()) {
                out.add(new SubscriptionInfo(s.clientId(), sub.asSubscribed(), sub.qos()));
            }
        }
        return out;
    }

    @Override
    public Map<String, Long> counters() {
        BrokerContext c = running();
        Map<String, Long> m = c.metrics().snapshot();
        m.put("sessions", (long) c.sessions().size());
        m.put("retained.messages", c.retained().size());
        m.put("subscriptions", c.sessions().all().stream().mapToLong(s -> s.subscriptions().size()).sum());
        m.put("messages.queued", c.queuedTotal().get());
        return m;
    }

    /** Collects the configuration; {@link #build()} makes a broker that {@link Broker#start()} brings up. */
    public static final class Builder {
        private BrokerConfig.Builder config = BrokerConfig.builder();
        private BrokerConfig given;

        private Builder() {
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
            return new Broker(given != null ? given : config.build());
        }

        private void requireNoGivenConfig() {
            if (given != null) {
                throw new IllegalStateException("config(BrokerConfig) was given: set everything there");
            }
        }
    }
}
