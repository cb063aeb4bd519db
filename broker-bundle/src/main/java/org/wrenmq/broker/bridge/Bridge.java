package org.wrenmq.broker.bridge;

import io.netty.bootstrap.Bootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.ChannelPipeline;
import io.netty.channel.EventLoop;
import io.netty.handler.codec.mqtt.MqttConnectReturnCode;
import io.netty.handler.codec.mqtt.MqttDecoder;
import io.netty.handler.codec.mqtt.MqttEncoder;
import io.netty.handler.codec.mqtt.MqttMessage;
import io.netty.handler.codec.mqtt.MqttPublishMessage;
import io.netty.handler.codec.mqtt.MqttSubAckMessage;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.timeout.IdleStateHandler;
import io.netty.util.concurrent.ScheduledFuture;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.wrenmq.api.QoS;
import org.wrenmq.broker.BridgeConfig;
import org.wrenmq.broker.LocalSession;
import org.wrenmq.broker.auth.ClientAccess;
import org.wrenmq.broker.message.Publication;
import org.wrenmq.broker.session.LocalClient;
import org.wrenmq.broker.session.Session;
import org.wrenmq.broker.session.SessionRegistry;
import org.wrenmq.broker.session.SessionServices;
import org.wrenmq.broker.transport.Transports;

/**
 * One {@code connection} block at work. Towards this broker the bridge is a persistent in-VM client whose client
 * id is {@code local_clientid}: it subscribes to the out topics (with no local, so what it publishes itself never
 * comes back), and its session, like any persistent session, keeps QoS 1/2 messages in the store while the remote
 * is unreachable, bounded by {@code max_queued_messages}, across restarts and {@code kill -9}. While the link is up
 * that session is attached and forwards to the remote ({@link RemoteLink}); while it is down the session is
 * detached, so messages wait in its queue, in order. In topics arrive from the remote and are published here
 * under that same client id.
 *
 * <p>Threading: everything but {@link #state()} and the counters runs on the bridge's event loop.
 */
public final class Bridge {
    private static final Logger LOG = LoggerFactory.getLogger(Bridge.class);
    /** How often a lazy bridge checks its waiting messages and idle time. */
    private static final long LAZY_CHECK_SECONDS = 1;
    /** How long a TCP connect to the remote may take. */
    private static final int CONNECT_TIMEOUT_MILLIS = 10_000;

    /** What {@code $SYS} and the metrics show. */
    public enum State { CONNECTING, CONNECTED, DISCONNECTED, STOPPED }

    private final BridgeConfig config;
    private final SessionServices services;
    private final EventLoop loop;
    private final SslContext tls;
    private final TopicRemap remap;
    private final Backoff backoff;
    private final LongAdder forwarded = new LongAdder();
    private final LongAdder received = new LongAdder();
    private final LongAdder droppedOffline = new LongAdder();
    private final LongAdder droppedTooLarge = new LongAdder();
    private volatile State state = State.DISCONNECTED;
    private RemoteLink link;
    private LocalClient local;
    private int addressIndex;
    private int protocolVersion;
    private boolean privateAccepted = true;
    private boolean failureLogged;
    private boolean stopped;
    private long lastActivityNanos;
    private ScheduledFuture<?> timer;

    Bridge(BridgeConfig config, SessionServices services, EventLoop loop, SslContext tls) {
        this.config = config;
        this.services = services;
        this.loop = loop;
        this.tls = tls;
        this.remap = new TopicRemap(config.topics());
        this.backoff = new Backoff(config.restartBaseSeconds(), config.restartCapSeconds(),
                (low, high) -> ThreadLocalRandom.current().nextInt(low, high));
        this.protocolVersion = config.protocolVersion();
    }

    EventLoop loop() {
        return loop;
    }

    public BridgeConfig config() {
        return config;
    }

    public State state() {
        return state;
    }

    /** Out messages waiting for the remote: in flight on the link or queued in the bridge's local session. */
    public long waiting() {
        Session s = services.sessions().get(config.localClientId());
        return s == null ? 0 : s.inflightCount() + s.queuedCount();
    }

    public long forwarded() {
        return forwarded.sum();
    }

    public long received() {
        return received.sum();
    }

    public long droppedOffline() {
        return droppedOffline.sum();
    }

    public long droppedTooLarge() {
        return droppedTooLarge.sum();
    }

    // ---- lifecycle, on the loop ----

    void start() {
        if (config.notifications()) {
            notifyLocal(RemotePackets.NOTIFY_DOWN);
        }
        if (!config.localCleanSession()) {
            // the session and its subscriptions exist from now on, so out messages are kept before any connection
            LocalClient first = openLocal(services.config().maxInflightMessages());
            subscribeOut(first, false);
            first.close();
        }
        if (config.startType() == BridgeConfig.StartType.LAZY) {
            timer = loop.scheduleAtFixedRate(this::lazyCheck, LAZY_CHECK_SECONDS, LAZY_CHECK_SECONDS,
                    TimeUnit.SECONDS);
        } else {
            connect();
        }
    }

    void stop() {
        stopped = true;
        state = State.STOPPED;
        if (timer != null) {
            timer.cancel(false);
        }
        if (link != null && link.isUp()) {
            if (config.notifications() && !config.notificationsLocalOnly()) {
                link.notifyRemote(RemotePackets.NOTIFY_DOWN);
            }
            link.disconnect();
        } else if (link != null) {
            link.close();
        }
    }

    private void connect() {
        if (stopped) {
            return;
        }
        state = State.CONNECTING;
        BridgeConfig.Address a = config.addresses().get(addressIndex);
        RemoteLink l = new RemoteLink(this, config, protocolVersion, a.toString());
        link = l;
        Bootstrap b = new Bootstrap().group(loop).channel(Transports.socketChannel())
                .option(ChannelOption.TCP_NODELAY, true)
                .option(ChannelOption.CONNECT_TIMEOUT_MILLIS, CONNECT_TIMEOUT_MILLIS)
                .handler(new ChannelInitializer<Channel>() {
                    @Override
                    protected void initChannel(Channel ch) {
                        ChannelPipeline p = ch.pipeline();
                        if (tls != null) {
                            p.addLast("tls", BridgeTls.handler(tls, ch, a, config.tls().insecure()));
                        }
                        if (config.tryPrivate() && privateAccepted && protocolVersion != 5) {
                            p.addLast("try_private", new PrivateBridgeFlag());
                        }
                        p.addLast("decoder", new MqttDecoder(services.config().maxIncomingPacketSize()));
                        p.addLast("encoder", MqttEncoder.INSTANCE);
                        p.addLast("keepalive", new IdleStateHandler(config.keepaliveSeconds() * 3 / 2,
                                config.keepaliveSeconds(), 0));
                        p.addLast("link", l);
                    }
                });
        ChannelFuture f = b.connect(a.host(), a.port());
        f.addListener(done -> {
            if (!done.isSuccess()) {
                connectFailed(l, done.cause());
            }
        });
    }

    private void connectFailed(RemoteLink l, Throwable cause) {
        if (l != link) {
            return;
        }
        link = null;
        String why = cause == null ? "closed" : cause.getMessage();
        if (!failureLogged) {
            failureLogged = true;
            LOG.warn("bridge {}: cannot connect to {}: {} (retrying; out messages at QoS 1/2 are kept meanwhile)",
                    config.name(), l.address(), why);
        } else {
            LOG.debug("bridge {}: cannot connect to {}: {}", config.name(), l.address(), why);
        }
        nextAddress(false);
        retry();
    }

    private void retry() {
        if (stopped) {
            return;
        }
        state = State.DISCONNECTED;
        switch (config.startType()) {
            case ONCE:
                LOG.warn("bridge {}: start_type once: not reconnecting", config.name());
                break;
            case LAZY:
                break;
            default:
                int wait = backoff.next();
                LOG.debug("bridge {}: next attempt in {} s", config.name(), wait);
                loop.schedule(this::connect, wait, TimeUnit.SECONDS);
        }
    }

    /** Failover: after a failed attempt the next address; round_robin moves on after a lost link too. */
    private void nextAddress(boolean wasConnected) {
        int n = config.addresses().size();
        if (!wasConnected || config.roundRobin()) {
            addressIndex = (addressIndex + 1) % n;
        } else {
            addressIndex = 0;
        }
    }

    // ---- link events, on the loop ----

    void linkUp(RemoteLink l, int remoteReceiveMaximum) {
        if (l != link || stopped) {
            l.disconnect();
            return;
        }
        state = State.CONNECTED;
        failureLogged = false;
        backoff.reset();
        lastActivityNanos = System.nanoTime();
        LOG.info("bridge {}: connected to {} as '{}' (MQTT {}{})", config.name(), l.address(),
                config.remoteClientId(), protocolVersion == 5 ? "5" : protocolVersion == 4 ? "3.1.1" : "3.1",
                protocolVersion != 5 && config.tryPrivate() && privateAccepted ? ", private bridge" : "");
        if (config.notifications()) {
            if (!config.notificationsLocalOnly()) {
                l.notifyRemote(RemotePackets.NOTIFY_UP);
            }
            notifyLocal(RemotePackets.NOTIFY_UP);
        }
        List<BridgeConfig.Topic> in = config.topics().stream().filter(t -> t.direction().in())
                .collect(Collectors.toList());
        if (!in.isEmpty()) {
            l.subscribe(in);
        }
        List<String> outOnly = config.topics().stream().filter(t -> !t.direction().in())
                .map(BridgeConfig.Topic::remoteFilter).distinct().collect(Collectors.toList());
        if (config.attemptUnsubscribe() && !outOnly.isEmpty()) {
            l.unsubscribe(outOnly);
        }
        local = openLocal(Math.min(services.config().maxInflightMessages(), remoteReceiveMaximum));
        subscribeOut(local, true);
    }

    void refused(RemoteLink l, MqttConnectReturnCode code) {
        if (code == MqttConnectReturnCode.CONNECTION_REFUSED_UNACCEPTABLE_PROTOCOL_VERSION) {
            if (protocolVersion == 5) {
                LOG.warn("bridge {}: {} does not support MQTT 5, reconnecting with MQTT 3.1.1", config.name(),
                        l.address());
                protocolVersion = 4;
            } else if (config.tryPrivate() && privateAccepted) {
                LOG.info("bridge {}: {} refused the private bridge flag (try_private), reconnecting without it",
                        config.name(), l.address());
                privateAccepted = false;
            }
        }
        if (!failureLogged) {
            failureLogged = true;
            LOG.warn("bridge {}: {} refused the connection: {} (retrying)", config.name(), l.address(), code);
        } else {
            LOG.debug("bridge {}: {} refused the connection: {}", config.name(), l.address(), code);
        }
    }

    void linkDown(RemoteLink l) {
        if (l != link) {
            return;
        }
        boolean wasConnected = state == State.CONNECTED;
        link = null;
        if (local != null) {
            local.close();
            local = null;
        }
        if (stopped) {
            return;
        }
        if (wasConnected) {
            LOG.warn("bridge {}: connection to {} lost; out messages at QoS 1/2 are kept until it is back",
                    config.name(), l.address());
            if (config.notifications()) {
                notifyLocal(RemotePackets.NOTIFY_DOWN);
            }
        }
        nextAddress(wasConnected);
        retry();
    }

    void subscribed(MqttMessage m) {
        if (m instanceof MqttSubAckMessage) {
            for (int code : ((MqttSubAckMessage) m).payload().reasonCodes()) {
                if (code >= 0x80) {
                    LOG.warn("bridge {}: the remote refused an in topic subscription (reason 0x{})", config.name(),
                            Integer.toHexString(code));
                }
            }
        }
    }

    /** A PUBLISH from the remote: published here; {@code acknowledge} runs once the store has it. */
    void fromRemote(MqttPublishMessage p, String remoteTopic, Runnable acknowledge) {
        lastActivityNanos = System.nanoTime();
        received.increment();
        Publication pub = RemotePackets.publication(p, remap.toLocal(remoteTopic), config.localClientId(),
                services.clock().millis());
        services.metrics().messageReceived(pub.qos().value(), pub.payload().length);
        if (services.router().publish(pub)) {
            services.store().afterCommit(() -> loop.execute(acknowledge));
        } else {
            acknowledge.run();
        }
    }

    void sentOut() {
        lastActivityNanos = System.nanoTime();
        forwarded.increment();
    }

    void tooLarge(String topic, int size, int limit) {
        droppedTooLarge.increment();
        LOG.warn("bridge {}: message on '{}' is {} bytes, more than the remote takes ({}, bridge_max_packet_size "
                + "or the remote's maximum packet size): dropped", config.name(), topic, size, limit);
    }

    // ---- the local side ----

    private LocalClient openLocal(int receiveMaximum) {
        boolean clean = config.localCleanSession();
        return LocalClient.open(services, loop, config.localClientId(), clean,
                clean ? 0 : SessionRegistry.NEVER_EXPIRES, Math.max(1, receiveMaximum), this::onLocalMessage,
                ClientAccess.UNCHECKED); // as in mosquitto, a bridge is not subject to the acl_file
    }

    private void subscribeOut(LocalClient client, boolean sendRetained) {
        for (BridgeConfig.Topic t : config.topics()) {
            if (t.direction().out()) {
                client.subscribe(t.localFilter(), QoS.of(t.qos()), true, sendRetained);
            }
        }
    }

    /** Called on the local session's loop, which may differ from the bridge's after a restart. */
    private void onLocalMessage(org.wrenmq.api.MqttMessage m, LocalSession.Acknowledgement ack) {
        if (loop.inEventLoop()) {
            forward(m, ack);
        } else {
            loop.execute(() -> forward(m, ack));
        }
    }

    private void forward(org.wrenmq.api.MqttMessage m, LocalSession.Acknowledgement ack) {
        RemoteLink l = link;
        if (l != null && l.isUp()) {
            l.forward(remap.toRemote(m.topic()), m, config.outgoingRetain() && m.retain(), ack);
        } else if (m.qos() == QoS.AT_MOST_ONCE) {
            droppedOffline.increment();
        }
        // QoS 1/2 without a link stay in flight in the local session: sent again on its next attach
    }

    private void notifyLocal(String state) {
        services.router().publish(Publication.simple(config.notificationTopic(),
                state.getBytes(StandardCharsets.UTF_8), QoS.AT_LEAST_ONCE, true, config.localClientId()));
    }

    /** start_type lazy: connect once threshold messages wait; disconnect after idle_timeout without traffic. */
    private void lazyCheck() {
        if (stopped) {
            return;
        }
        if (link == null && waiting() >= config.threshold()) {
            connect();
        } else if (link != null && link.isUp()
                && System.nanoTime() - lastActivityNanos > TimeUnit.SECONDS.toNanos(config.idleTimeoutSeconds())
                && waiting() == 0) {
            LOG.info("bridge {}: idle for {} s, disconnecting (start_type lazy)", config.name(),
                    config.idleTimeoutSeconds());
            link.disconnect();
        }
    }
}
