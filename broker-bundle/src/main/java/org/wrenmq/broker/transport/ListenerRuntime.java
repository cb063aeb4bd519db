package org.wrenmq.broker.transport;

import io.netty.channel.Channel;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslProvider;
import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.wrenmq.broker.ConfigException;
import org.wrenmq.broker.ListenerConfig;
import org.wrenmq.broker.Reloadable;
import org.wrenmq.broker.auth.Authenticator;
import org.wrenmq.broker.auth.Authorizer;
import org.wrenmq.broker.metrics.BrokerMetrics;

/**
 * One configured listener while the broker runs: its TLS context (replaced on reload; connections keep the one
 * they started with), its authenticator, and its own {@code max_connections} count.
 */
public final class ListenerRuntime implements Reloadable {
    private static final Logger LOG = LoggerFactory.getLogger(ListenerRuntime.class);

    private final ListenerConfig config;
    private final Authenticator authenticator;
    private final Authorizer authorizer;
    private final SslProvider provider;
    private final AtomicInteger connections = new AtomicInteger();
    private volatile SslContext tls;

    /** @throws ConfigException when a certificate or key file cannot be used */
    ListenerRuntime(ListenerConfig config, Authenticator authenticator, Authorizer authorizer, SslProvider provider) {
        this.config = config;
        this.authenticator = authenticator;
        this.authorizer = authorizer;
        this.provider = provider;
        this.tls = config.isTls() ? TlsContexts.build(config.tls(), provider) : null;
    }

    public ListenerConfig config() {
        return config;
    }

    Authenticator authenticator() {
        return authenticator;
    }

    Authorizer authorizer() {
        return authorizer;
    }

    /** The TLS context for a new connection, or null on a plain listener. */
    SslContext tls() {
        return tls;
    }

    /**
     * Re-reads certificate, key, CA and CRL files, and the listener's own password and acl files under
     * {@code per_listener_settings true}; new connections use them, open ones are not touched.
     */
    @Override
    public void reload() {
        if (config.security() != null) {
            authenticator.reload();
            authorizer.reload();
        }
        if (!config.isTls()) {
            return;
        }
        tls = TlsContexts.build(config.tls(), provider);
        LOG.info("listener {}: TLS files re-read ({})", config, config.tls());
    }

    /**
     * Counts a new connection against the listener's {@code max_connections}; refuses it (closed, logged and
     * counted) beyond the limit.
     */
    boolean admit(Channel ch, BrokerMetrics metrics) {
        int max = config.maxConnections();
        if (max < 0) {
            return true;
        }
        if (connections.incrementAndGet() > max) {
            connections.decrementAndGet();
            metrics.connectionsRefusedMaxConnections.increment();
            LOG.warn("connection from {} refused: max_connections ({}) of listener {} reached",
                    ch.remoteAddress(), max, config);
            ch.close();
            return false;
        }
        ch.closeFuture().addListener(f -> connections.decrementAndGet());
        return true;
    }

    /** The address to bind: {@code socket_domain} picks the address family, as in mosquitto. */
    public InetSocketAddress address() {
        String host = config.bindAddress();
        ListenerConfig.SocketDomain domain = config.socketDomain();
        if (domain == null) {
            return host == null ? new InetSocketAddress(config.port()) : new InetSocketAddress(host, config.port());
        }
        if (host == null) {
            host = domain == ListenerConfig.SocketDomain.IPV4 ? "0.0.0.0" : "::";
        }
        try {
            for (InetAddress a : InetAddress.getAllByName(host)) {
                if (domain == ListenerConfig.SocketDomain.IPV4 ? a instanceof Inet4Address : a instanceof Inet6Address) {
                    return new InetSocketAddress(a, config.port());
                }
            }
        } catch (UnknownHostException e) {
            throw new ConfigException("listener " + config + ": cannot resolve " + host);
        }
        throw new ConfigException("listener " + config + ": " + host + " has no "
                + domain.name().toLowerCase() + " address (socket_domain)");
    }
}
