package org.wrenmq.broker.http;

import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.socket.SocketChannel;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.HttpServerCodec;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslHandler;
import java.net.InetSocketAddress;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.wrenmq.api.MqttBroker;
import org.wrenmq.api.MqttPublisher;
import org.wrenmq.broker.BrokerStartException;
import org.wrenmq.broker.ConfigException;
import org.wrenmq.broker.ListenerConfig;
import org.wrenmq.broker.auth.Authenticator;
import org.wrenmq.broker.auth.Authorizer;
import org.wrenmq.broker.json.JsonWriter;
import org.wrenmq.broker.metrics.DeliveryLatency;
import org.wrenmq.broker.store.MessageStore;
import org.wrenmq.broker.transport.TlsContexts;
import org.wrenmq.broker.transport.Transports;

/**
 * The HTTP listener of {@code http_listener PORT [ADDRESS]}: {@code /metrics} for Prometheus, {@code /health}
 * and {@code /ready} for Kubernetes probes and load balancers, and the web console at {@code /}.
 *
 * <p>Netty's HTTP codec rather than the JDK's {@code com.sun.net.httpserver} (which the Prometheus client's own
 * exporter uses): Netty is already the broker's network layer and a clean OSGi bundle, while Karaf does not
 * export {@code com.sun.net.httpserver} to bundles. It runs on one event loop of its own, so a scrape never
 * delays MQTT traffic.
 */
public final class HttpEndpoint implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(HttpEndpoint.class);
    /** Requests carry no body: a request larger than this gets 413. */
    static final int MAX_REQUEST_BYTES = 8192;

    private final EventLoopGroup loop;
    private final Channel server;

    private final DeliveryLatency latency;

    private HttpEndpoint(EventLoopGroup loop, Channel server, DeliveryLatency latency) {
        this.loop = loop;
        this.server = server;
        this.latency = latency;
    }

    /**
     * What the listener serves from: the admin view and in-VM publisher (the broker itself), the store (its
     * commit times), the login and ACL rules, and the JSON writer the home made.
     */
    public record Services(MqttBroker broker, MqttPublisher publisher, MessageStore store,
                           Authenticator authenticator, Authorizer authorizer, JsonWriter json,
                           DeliveryLatency latency) {
    }

    /** @throws BrokerStartException if the address cannot be bound */
    public static HttpEndpoint start(ListenerConfig listener, Services services, Probes probes) {
        SslContext tls;
        try {
            tls = listener.isTls() ? TlsContexts.build(listener.tls(), TlsContexts.provider()) : null;
        } catch (ConfigException e) {
            throw new BrokerStartException("http_listener " + listener + ": " + e.getMessage(), e);
        }
        EventLoopGroup loop = Transports.newGroup(1, "wrenmq-http");
        RateHistory history = new RateHistory(services.broker()::counters, System::currentTimeMillis);
        history.start(loop.next());
        HttpRequestHandler handler = new HttpRequestHandler(
                new PrometheusMetrics(services.broker(), services.store(), services.latency()), probes,
                new BasicLogin(services.authenticator()), new ConsoleAssets(),
                new ConsoleApi(services.broker(), services.publisher(), services.json(), history),
                services.authorizer());
        ServerBootstrap bootstrap = new ServerBootstrap().group(loop).channel(Transports.serverChannel())
                .childHandler(new ChannelInitializer<SocketChannel>() {
                    @Override
                    protected void initChannel(SocketChannel ch) {
                        if (tls != null) {
                            SslHandler ssl = tls.newHandler(ch.alloc());
                            ssl.setHandshakeTimeoutMillis(listener.tls().handshakeTimeoutMillis());
                            ch.pipeline().addLast("tls", ssl);
                        }
                        ch.pipeline().addLast("http", new HttpServerCodec())
                                .addLast("aggregate", new HttpObjectAggregator(MAX_REQUEST_BYTES))
                                .addLast("routes", handler);
                    }
                });
        try {
            Channel server = bootstrap.bind(new InetSocketAddress(listener.bindAddress(), listener.port()))
                    .sync().channel();
            LOG.info("HTTP{} listener on {}: web console at /, /metrics, /health, /ready", tls == null ? "" : "S",
                    server.localAddress());
            return new HttpEndpoint(loop, server, services.latency());
        } catch (Exception e) {
            services.latency().observeWith(null);
            loop.shutdownGracefully(0, 0, TimeUnit.SECONDS);
            throw new BrokerStartException("cannot listen on http_listener " + listener + ": " + e.getMessage(), e);
        }
    }

    public InetSocketAddress address() {
        return (InetSocketAddress) server.localAddress();
    }

    @Override
    public void close() {
        latency.observeWith(null);
        server.close().syncUninterruptibly();
        loop.shutdownGracefully(0, 2, TimeUnit.SECONDS).syncUninterruptibly();
    }
}
