package org.wrenmq.broker.admission;

import io.netty.channel.Channel;
import java.net.InetSocketAddress;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.wrenmq.broker.BrokerConfig;
import org.wrenmq.broker.logging.LogThrottle;
import org.wrenmq.broker.metrics.BrokerMetrics;

/**
 * The connections of one broker that were accepted but have not sent a complete CONNECT yet, against
 * {@code connect_timeout} and {@code max_pending_connections}. Each refusal and each timeout is counted; the log
 * gets one line per remote address per minute ({@link LogThrottle}), so a scanner cannot flood it.
 */
public final class PendingConnections {
    private static final Logger LOG = LoggerFactory.getLogger(PendingConnections.class);

    private final AtomicInteger pending = new AtomicInteger();
    private final int maxPending;
    private final int timeoutSeconds;
    private final BrokerMetrics metrics;
    private final LogThrottle logThrottle;

    public PendingConnections(BrokerConfig config, BrokerMetrics metrics, LogThrottle logThrottle) {
        this.maxPending = config.maxPendingConnections();
        this.timeoutSeconds = config.connectTimeout();
        this.metrics = metrics;
        this.logThrottle = logThrottle;
    }

    /** Takes a place for a new connection; false (and counted, logged) when {@code max_pending_connections} are taken. */
    public boolean enter(Channel channel) {
        if (pending.incrementAndGet() <= maxPending || maxPending < 0) {
            return true;
        }
        pending.decrementAndGet();
        metrics.connectionsRefusedMaxPending.increment();
        String address = host(channel);
        if (logThrottle.admit(address)) {
            LOG.warn("connection from {} refused: {} connections are waiting for their CONNECT "
                    + "(max_pending_connections){}", address, maxPending, logThrottle.suppressedNote());
        }
        return false;
    }

    /** Gives the place back: the CONNECT arrived, or the connection closed. */
    public void leave() {
        pending.decrementAndGet();
    }

    public long timeoutNanos() {
        return TimeUnit.SECONDS.toNanos(timeoutSeconds);
    }

    /** The connection sent no complete CONNECT in time: counted and logged, the caller closes it. */
    public void timedOut(Channel channel) {
        metrics.connectionsClosedConnectTimeout.increment();
        String address = host(channel);
        if (logThrottle.admit(address)) {
            LOG.info("connection from {} closed: no complete CONNECT within {} s (connect_timeout){}", address,
                    timeoutSeconds, logThrottle.suppressedNote());
        }
    }

    /** Connections accepted and still waiting for their CONNECT. */
    public int count() {
        return pending.get();
    }

    private static String host(Channel channel) {
        return channel.remoteAddress() instanceof InetSocketAddress
                ? ((InetSocketAddress) channel.remoteAddress()).getAddress().getHostAddress()
                : String.valueOf(channel.remoteAddress());
    }
}
