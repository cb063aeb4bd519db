package org.wrenmq.jca.broker;

import jakarta.resource.ResourceException;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.CompletionStage;
import org.wrenmq.api.MqttMessage;
import org.wrenmq.broker.Broker;
import org.wrenmq.broker.LocalSession;
import org.wrenmq.broker.auth.ClientAccess;

/**
 * The broker runs inside this server: publishing and subscribing are calls into it, no socket and no client id
 * for publishers; a message endpoint is an in-VM {@link LocalSession}.
 *
 * <p>Code in the server is trusted: a connection or endpoint without credentials may use every topic. One with a
 * user name and password logs in as that user (checked as a CONNECT's, refused with a {@link ResourceException})
 * and gets that user's rights under the acl_file.
 */
public final class EmbeddedBrokerAccess implements BrokerAccess {

    private final Broker broker;
    /** The adapter's {@code userName}/{@code password}: for connections and endpoints without their own. */
    private final Credentials adapterCredentials;

    private EmbeddedBrokerAccess(Broker broker, Credentials adapterCredentials) {
        this.broker = broker;
        this.adapterCredentials = adapterCredentials;
    }

    /**
     * @param settings broker configuration keys (mosquitto names) and their values
     * @param configFile a mosquitto-style file holding the whole configuration (settings then empty), or null
     */
    public static EmbeddedBrokerAccess start(Map<String, String> settings, Path configFile,
                                             Credentials adapterCredentials) {
        return new EmbeddedBrokerAccess(EmbeddedBrokers.acquire(settings, configFile), adapterCredentials);
    }

    /** The rights of {@code credentials} (or the adapter's); everything for trusted code without any. */
    private ClientAccess login(String clientId, Credentials credentials) throws ResourceException {
        Credentials c = credentials.orElse(adapterCredentials);
        if (c.isNone()) {
            return ClientAccess.UNCHECKED;
        }
        try {
            return broker.localLogin(clientId, c.userName(), c.passwordBytes());
        } catch (SecurityException e) {
            throw new jakarta.resource.spi.SecurityException("the embedded broker refused " + c + ": "
                    + e.getMessage(), e);
        }
    }

    @Override
    public PublishChannel openPublishChannel(Credentials credentials) throws ResourceException {
        ClientAccess access = login("wrenmq-jca-pub", credentials);
        return new PublishChannel() {
            private volatile boolean open = true;

            @Override
            public CompletionStage<Void> publish(MqttMessage message) {
                return broker.publish(message, access);
            }

            @Override
            public boolean isUsable() {
                return open;
            }

            @Override
            public void close() {
                open = false;
            }
        };
    }

    @Override
    public InboundSubscription subscribe(SubscriptionRequest request, InboundSink sink) throws ResourceException {
        ClientAccess access = login(request.clientId(), request.credentials());
        LocalSession session = null;
        try {
            long expiry = request.sessionExpiry() > 0 ? request.sessionExpiry()
                    : request.cleanStart() ? 0 : LocalSession.SESSION_NEVER_EXPIRES;
            session = broker.openLocalSession(request.clientId(), request.cleanStart(), expiry,
                    request.receiveMaximum(), (message, ack) -> sink.deliver(message, acknowledger(ack)), access);
            for (String filter : request.topicFilters()) {
                session.subscribe(filter, request.qos());
            }
            return new LocalSubscription(session, access);
        } catch (RuntimeException e) {
            if (session != null) {
                session.close();
            }
            throw new ResourceException("cannot subscribe " + request.clientId() + " to " + request.topicFilters()
                    + " on the embedded broker: " + e.getMessage(), e);
        }
    }

    private static InboundSink.Acknowledger acknowledger(LocalSession.Acknowledgement ack) {
        return new InboundSink.Acknowledger() {
            @Override
            public void accept() {
                ack.accept();
            }

            @Override
            public void reject() {
                ack.reject();
            }
        };
    }

    private final class LocalSubscription implements InboundSubscription {
        private final LocalSession session;
        private final ClientAccess access;

        LocalSubscription(LocalSession session, ClientAccess access) {
            this.session = session;
            this.access = access;
        }

        @Override
        public CompletionStage<Void> publish(MqttMessage message) {
            return broker.publish(message, access);
        }

        @Override
        public void close() {
            session.close();
        }
    }

    @Override
    public void close() {
        EmbeddedBrokers.release(broker);
    }
}
