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
    /** The address of the current or last attempt, for {@code wrenmq:bridges}; null before the first. */
    private volatile String remoteAddress;
    private RemoteLink link;
    private LocalClient local;
    private int addressIndex;
    private int protocolVersion;
    private boolean privateAccepted = true;
    private boolean failureLogged;
    private boolean stopped;
    private long lastActivityNanos;
    private ScheduledFuture<?> timer;
    private FirstAddressProbe primaryProbe;
    /** The link is being closed on purpose (idle lazy bridge, back to the first address): not a lost connection. */
    private boolean closingOnPurpose;
    /** The first address answered the probe: connect there next. */
    private boolean backToFirst;

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

    /** {@code HOST:PORT} connected to, being tried, or tried last; null before the first attempt. */
    public String remoteAddress() {
        return remoteAddress;
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

    /** QoS 0 out messages dropped while the link was down: by the detached local session, or here. */
    public long droppedOffline() {
        Session s = services.sessions().get(config.localClientId());
        return droppedOffline.sum() + (s == null ? 0 : s.droppedQos0Offline());
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
        cancelPrimaryProbe();
        if (link != null && link.isUp()) {
            disconnectCleanly(link);
        } else if (link != null) {
            link.close();
        }
    }

    /** DISCONNECT (so the remote keeps its will), after publishing the state the will would have. */
    private void disconnectCleanly(RemoteLink l) {
        if (config.notifications() && !config.notificationsLocalOnly()) {
            l.notifyRemote(RemotePackets.NOTIFY_DOWN);
        }
        l.disconnect();
    }

    private void connect() {
        if (stopped) {
            return;
        }
        state = State.CONNECTING;
        BridgeConfig.Address a = config.addresses().get(addressIndex);
        remoteAddress = a.toString();
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
                            p.addLast("tls", BridgeTls.handler(tls, ch, a));
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
        attemptFailed(l.address(), cause == null ? "closed" : cause.getMessage());
        nextAddress();
        retry();
    }

    /** One line for the first failed attempt of an outage (WARN), the next ones at debug level. */
    private void attemptFailed(String address, String why) {
        String next = config.startType() == BridgeConfig.StartType.AUTOMATIC
                ? " (retrying; out messages at QoS 1/2 are kept meanwhile)" : "";
        if (!failureLogged) {
            failureLogged = true;
            LOG.warn("bridge {}: cannot connect to {}: {}{}", config.name(), address, why, next);
        } else {
            LOG.debug("bridge {}: cannot connect to {}: {}", config.name(), address, why);
        }
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

    /**
     * Failover, as mosquitto's bridge_check: after a failed attempt or a lost link the next address, in turn. With
     * round_robin false the first address is also the one to return to ({@link FirstAddressProbe}).
     */
    private void nextAddress() {
        if (backToFirst) {
            backToFirst = false;
            addressIndex = 0;
        } else {
            addressIndex = (addressIndex + 1) % config.addresses().size();
        }
    }

    /** The probe found the first address answering: end this link and connect there (round_robin false). */
    private void firstAddressAnswers(RemoteLink l) {
        if (l != link || !l.isUp() || stopped) {
            return;
        }
        LOG.info("bridge {}: the first address {} answers again, moving back to it from {} (round_robin false)",
                config.name(), config.addresses().get(0), l.address());
        backToFirst = true;
        closingOnPurpose = true;
        disconnectCleanly(l);
    }

    private void cancelPrimaryProbe() {
        if (primaryProbe != null) {
            primaryProbe.cancel();
            primaryProbe = null;
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
        closingOnPurpose = false;
        backoff.reset();
        lastActivityNanos = System.nanoTime();
        if (!config.roundRobin() && addressIndex != 0) {
            primaryProbe = FirstAddressProbe.start(loop, config.addresses().get(0), CONNECT_TIMEOUT_MILLIS,
                    () -> firstAddressAnswers(l));
        }
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
        l.failed("refused: " + code);
    }

    void linkDown(RemoteLink l) {
        if (l != link) {
            return;
        }
        boolean wasConnected = state == State.CONNECTED;
        link = null;
        cancelPrimaryProbe();
        if (local != null) {
            local.close();
            local = null;
        }
        if (stopped) {
            return;
        }
        if (!wasConnected) {
            attemptFailed(l.address(), l.failure() == null ? "closed before CONNACK" : l.failure());
        } else if (!closingOnPurpose) {
            LOG.warn("bridge {}: connection to {} lost; out messages at QoS 1/2 are kept until it is back",
                    config.name(), l.address());
        }
        if (wasConnected && config.notifications()) {
            notifyLocal(RemotePackets.NOTIFY_DOWN);
        }
        boolean onPurpose = closingOnPurpose;
        closingOnPurpose = false;
        nextAddress();
        if (onPurpose && config.startType() != BridgeConfig.StartType.LAZY) {
            state = State.DISCONNECTED;
            connect(); // straight to the first address, no restart_timeout: it just answered
        } else {
            retry();
        }
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
            LOG.info("bridge {}: idle for {} s, disconnecting (start_type lazy; connecting again once {} "
                    + "messages wait)", config.name(), config.idleTimeoutSeconds(), config.threshold());
            closingOnPurpose = true;
            disconnectCleanly(link);
        }
    }
}
