package org.wrenmq.jca.broker;

import jakarta.resource.ResourceException;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.CompletionStage;
import org.wrenmq.api.MqttMessage;
import org.wrenmq.broker.Broker;
import org.wrenmq.broker.LocalSession;

/**
 * The broker runs inside this server: publishing and subscribing are calls into it, no socket and no client id
 * for publishers; a message endpoint is an in-VM {@link LocalSession}.
 */
public final class EmbeddedBrokerAccess implements BrokerAccess {

    private final Broker broker;

    private EmbeddedBrokerAccess(Broker broker) {
        this.broker = broker;
    }

    /**
     * @param settings broker configuration keys (mosquitto names) and their values
     * @param configFile a mosquitto-style file holding the whole configuration (settings then empty), or null
     */
    public static EmbeddedBrokerAccess start(Map<String, String> settings, Path configFile) {
        return new EmbeddedBrokerAccess(EmbeddedBrokers.acquire(settings, configFile));
    }

    @Override
    public PublishChannel openPublishChannel() {
        return new PublishChannel() {
            private volatile boolean open = true;

            @Override
            public CompletionStage<Void> publish(MqttMessage message) {
                return broker.publish(message);
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
        LocalSession session = null;
        try {
            long expiry = request.sessionExpiry() > 0 ? request.sessionExpiry()
                    : request.cleanStart() ? 0 : LocalSession.SESSION_NEVER_EXPIRES;
            session = broker.openLocalSession(request.clientId(), request.cleanStart(), expiry,
                    request.receiveMaximum(), (message, ack) -> sink.deliver(message, acknowledger(ack)));
            for (String filter : request.topicFilters()) {
                session.subscribe(filter, request.qos());
            }
            return new LocalSubscription(session);
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

        LocalSubscription(LocalSession session) {
            this.session = session;
        }

        @Override
        public CompletionStage<Void> publish(MqttMessage message) {
            return broker.publish(message);
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
