package org.wrenmq.broker.transport;

import io.netty.handler.ssl.SslProvider;
import java.util.ArrayList;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.wrenmq.broker.BrokerConfig;
import org.wrenmq.broker.ListenerConfig;
import org.wrenmq.broker.ListenerConfig.ListenerSecurity;
import org.wrenmq.broker.auth.Authenticator;
import org.wrenmq.broker.auth.Authorizer;
import org.wrenmq.broker.metrics.BrokerMetrics;

/** Makes the runtime of every configured listener, reading its certificate, key and (per listener) password files. */
public final class Listeners {
    private static final Logger LOG = LoggerFactory.getLogger(Listeners.class);

    private Listeners() {
    }

    /**
     * @param shared the broker-wide authenticator, for listeners without settings of their own; so is
     *               {@code sharedAcl}
     * @throws org.wrenmq.broker.ConfigException when a file cannot be read or used
     */
    public static List<ListenerRuntime> open(BrokerConfig config, Authenticator shared, Authorizer sharedAcl,
                                             BrokerMetrics metrics) {
        boolean anyTls = config.listeners().stream().anyMatch(ListenerConfig::isTls);
        SslProvider provider = anyTls ? TlsContexts.provider() : null;
        if (anyTls) {
            LOG.info("TLS implementation: {}", TlsContexts.describeProvider());
        }
        List<ListenerRuntime> out = new ArrayList<>();
        for (ListenerConfig l : config.listeners()) {
            Authorizer acl = l.security() == null ? sharedAcl : Authorizer.load(l.security().aclFile(), metrics);
            out.add(new ListenerRuntime(l, authenticator(l.security(), shared), acl, provider));
        }
        return out;
    }

    private static Authenticator authenticator(ListenerSecurity security, Authenticator shared) {
        if (security == null) {
            return shared;
        }
        return Authenticator.load(security.anonymousAllowed(), security.passwordFile());
    }
}
