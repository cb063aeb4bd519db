package org.wrenmq.jca.inbound;

import jakarta.resource.ResourceException;
import jakarta.resource.spi.UnavailableException;
import jakarta.resource.spi.endpoint.MessageEndpoint;
import jakarta.resource.spi.endpoint.MessageEndpointFactory;
import java.lang.reflect.Method;
import org.wrenmq.api.MqttMessage;
import org.wrenmq.api.MqttMessageListener;

/**
 * One message endpoint (one bean instance at a time) held by one delivery worker. Transacted deliveries are
 * bracketed by {@code beforeDelivery}/{@code afterDelivery}, so the container's transaction ends before the
 * message is acknowledged.
 */
final class EndpointSession implements AutoCloseable {

    static final Method ON_MESSAGE = onMessageMethod();

    private final MessageEndpoint endpoint;
    private final DeliveryOutcome outcome;

    private EndpointSession(MessageEndpoint endpoint, DeliveryOutcome outcome) {
        this.endpoint = endpoint;
        this.outcome = outcome;
    }

    static EndpointSession open(MessageEndpointFactory factory) throws UnavailableException {
        boolean transacted;
        try {
            transacted = factory.isDeliveryTransacted(ON_MESSAGE);
        } catch (NoSuchMethodException e) {
            throw new UnavailableException("the endpoint does not implement MqttMessageListener", e);
        }
        DeliveryOutcome outcome = transacted ? new DeliveryOutcome() : null;
        return new EndpointSession(factory.createEndpoint(outcome), outcome);
    }

    /** Runs the bean on one message; null when it returned normally and its transaction (if any) committed. */
    Throwable deliver(MqttMessage message) {
        if (outcome == null) {
            return invoke(message);
        }
        outcome.reset();
        try {
            endpoint.beforeDelivery(ON_MESSAGE);
        } catch (NoSuchMethodException | ResourceException e) {
            return e;
        }
        Throwable failure = invoke(message);
        try {
            endpoint.afterDelivery();
        } catch (ResourceException e) {
            if (failure == null) {
                failure = e;
            }
        }
        if (failure == null && outcome.rolledBack()) {
            failure = new IllegalStateException("the delivery's transaction was rolled back");
        }
        return failure;
    }

    private Throwable invoke(MqttMessage message) {
        try {
            ((MqttMessageListener) endpoint).onMessage(message);
            return null;
        } catch (RuntimeException | Error e) {
            return e;
        }
    }

    @Override
    public void close() {
        endpoint.release();
    }

    private static Method onMessageMethod() {
        try {
            return MqttMessageListener.class.getMethod("onMessage", MqttMessage.class);
        } catch (NoSuchMethodException e) {
            throw new ExceptionInInitializerError(e);
        }
    }
}
