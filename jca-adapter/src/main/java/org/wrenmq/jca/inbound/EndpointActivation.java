package org.wrenmq.jca.inbound;

import jakarta.resource.ResourceException;
import jakarta.resource.spi.BootstrapContext;
import jakarta.resource.spi.UnavailableException;
import jakarta.resource.spi.endpoint.MessageEndpointFactory;
import java.util.Timer;
import java.util.TimerTask;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.wrenmq.api.MqttMessage;
import org.wrenmq.jca.broker.BrokerAccess;
import org.wrenmq.jca.broker.InboundSubscription;
import org.wrenmq.jca.broker.SubscriptionRequest;

/**
 * One message-driven bean's subscription, from activation to deactivation. When the broker cannot be reached at
 * activation (an external broker that is down), the bean is deployed anyway and the subscription is tried again
 * every {@link #SUBSCRIBE_RETRY_MILLIS} ms until it succeeds; once up, the MQTT client reconnects by itself.
 */
public final class EndpointActivation {

    private static final Logger LOG = LoggerFactory.getLogger(EndpointActivation.class);

    /** Wait between two attempts to subscribe while the broker cannot be reached. */
    static final long SUBSCRIBE_RETRY_MILLIS = 2_000;

    private final MessageEndpointFactory factory;
    private final WrenActivationSpec spec;
    private final BootstrapContext bootstrapContext;
    private final BrokerAccess brokerAccess;
    private final SubscriptionRequest request;
    private Timer timer;
    private DeliveryDispatcher dispatcher;
    private volatile InboundSubscription subscription;
    private boolean stopped;   // guarded by this

    public EndpointActivation(MessageEndpointFactory factory, WrenActivationSpec spec,
                              BootstrapContext bootstrapContext, BrokerAccess brokerAccess) {
        this.factory = factory;
        this.spec = spec;
        this.bootstrapContext = bootstrapContext;
        this.brokerAccess = brokerAccess;
        this.request = spec.subscriptionRequest();
    }

    public synchronized void start() throws UnavailableException {
        timer = bootstrapContext.createTimer();
        dispatcher = new DeliveryDispatcher(factory, bootstrapContext.getWorkManager(), timer, spec,
                this::publishDeadLetter);
        trySubscribe();
    }

    private synchronized void trySubscribe() {
        if (stopped) {
            return;
        }
        try {
            subscription = brokerAccess.subscribe(request, dispatcher);
            LOG.info("WRENMQ-JCA-301 {} subscribed to {} at QoS {} for {}, at most {} deliveries at once",
                    request.clientId(), request.topicFilters(), request.qos().value(),
                    factory.getEndpointClass().getName(), spec.getMaxConcurrency());
        } catch (ResourceException | RuntimeException e) {
            LOG.warn("WRENMQ-JCA-302 {} cannot subscribe to {} yet, trying again in {} ms: {}", request.clientId(),
                    request.topicFilters(), SUBSCRIBE_RETRY_MILLIS, e.getMessage());
            timer.schedule(new TimerTask() {
                @Override
                public void run() {
                    trySubscribe();
                }
            }, SUBSCRIBE_RETRY_MILLIS);
        }
    }

    private CompletionStage<Void> publishDeadLetter(MqttMessage letter) {
        InboundSubscription current = subscription;
        return current == null
                ? CompletableFuture.failedFuture(new UnavailableException("the subscription is not open yet"))
                : current.publish(letter);
    }

    public void stop() {
        synchronized (this) {
            stopped = true;
            timer.cancel();
        }
        dispatcher.stop();
        InboundSubscription current = subscription;
        if (current != null) {
            current.close();
        }
    }
}
