package org.wrenmq.broker.auth;

import java.net.InetSocketAddress;
import java.net.SocketAddress;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.wrenmq.broker.logging.LogThrottle;
import org.wrenmq.broker.metrics.BrokerMetrics;

/**
 * CONNECTs refused for their credentials: each is counted ({@code connections.refused.auth}, in /metrics as
 * {@code wrenmq_connections_refused{reason="not_authorized"}}) and logged once per remote address and user name per
 * minute ({@link LogThrottle}), so a client guessing passwords cannot flood the log; the next line says how many
 * refusals went unlogged.
 */
public final class LoginRefusals {
    private static final Logger LOG = LoggerFactory.getLogger(LoginRefusals.class);

    private final BrokerMetrics metrics;
    private final LogThrottle throttle;

    public LoginRefusals(BrokerMetrics metrics, LogThrottle throttle) {
        this.metrics = metrics;
        this.throttle = throttle;
    }

    /**
     * @param remote the client's address; the throttle keys on its host only, as a guesser takes a new port for
     *               each attempt
     * @param userName null for an anonymous client
     */
    public void refused(SocketAddress remote, String clientId, String userName, Authenticator.Result why) {
        refused(remote instanceof InetSocketAddress ? ((InetSocketAddress) remote).getAddress().getHostAddress()
                : String.valueOf(remote), String.valueOf(remote), clientId, userName, why);
    }

    /** @param where {@code in-VM} for a client inside the broker's JVM (the resource adapter's connections) */
    public void refused(String where, String clientId, String userName, Authenticator.Result why) {
        refused(where, where, clientId, userName, why);
    }

    private void refused(String host, String remote, String clientId, String userName, Authenticator.Result why) {
        metrics.connectionsRefusedAuth.increment();
        String user = userName == null ? "anonymous" : "user '" + userName + "'";
        if (throttle.admit(host + ' ' + user)) {
            LOG.warn("client '{}' ({}, {}) refused: {} (CONNACK not authorized){}", clientId, remote, user,
                    why == Authenticator.Result.NOT_AUTHORIZED ? "anonymous clients are not allowed (allow_anonymous)"
                            : "unknown user name or wrong password", throttle.suppressedNote());
        }
    }
}
