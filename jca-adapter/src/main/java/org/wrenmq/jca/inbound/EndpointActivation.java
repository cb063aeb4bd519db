package org.wrenmq.jca.inbound;

import jakarta.resource.ResourceException;
import jakarta.resource.spi.BootstrapContext;
import jakarta.resource.spi.UnavailableException;
import jakarta.resource.spi.endpoint.MessageEndpointFactory;
import java.util.Timer;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.wrenmq.api.MqttMessage;
import org.wrenmq.jca.broker.BrokerAccess;
import org.wrenmq.jca.broker.InboundSubscription;
import org.wrenmq.jca.broker.SubscriptionRequest;

/** One message-driven bean's subscription: from activation to deactivation. */
public final class EndpointActivation {

    private static final Logger LOG = LoggerFactory.getLogger(EndpointActivation.class);

    private final MessageEndpointFactory factory;
    private final WrenActivationSpec spec;
    private final BootstrapContext bootstrapContext;
    private final BrokerAccess brokerAccess;
    private Timer timer;
    private DeliveryDispatcher dispatcher;
    private volatile InboundSubscription subscription;

    public EndpointActivation(MessageEndpointFactory factory, WrenActivationSpec spec,
                              BootstrapContext bootstrapContext, BrokerAccess brokerAccess) {
        this.factory = factory;
        this.spec = spec;
        this.bootstrapContext = bootstrapContext;
        this.brokerAccess = brokerAccess;
    }

    public void start() throws ResourceException {
        SubscriptionRequest request = spec.subscriptionRequest();
        timer = bootstrapContext.createTimer();
        dispatcher = new DeliveryDispatcher(factory, bootstrapContext.getWorkManager(), timer, spec,
                this::publishDeadLetter);
        try {
            subscription = brokerAccess.subscribe(request, dispatcher);
        } catch (ResourceException | RuntimeException e) {
            timer.cancel();
            throw e;
        }
        LOG.info("WRENMQ-JCA-301 {} subscribed to {} at QoS {} for {}, at most {} deliveries at once",
                request.clientId(), request.topicFilters(), request.qos().value(), factory.getEndpointClass().getName(),
                spec.getMaxConcurrency());
    }

    private CompletionStage<Void> publishDeadLetter(MqttMessage letter) {
        InboundSubscription current = subscription;
        return current == null
                ? CompletableFuture.failedFuture(new UnavailableException("the subscription is not open yet"))
                : current.publish(letter);
    }

    public void stop() {
        dispatcher.stop();
        subscription.close();
        timer.cancel();
    }
}
