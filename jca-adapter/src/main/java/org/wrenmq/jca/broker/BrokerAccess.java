package org.wrenmq.jca.broker;

import jakarta.resource.ResourceException;

/**
 * Where the adapter's messages go and come from: the broker embedded in this server, or an MQTT server
 * elsewhere. One per started resource adapter.
 */
public interface BrokerAccess extends AutoCloseable {

    /**
     * A channel for one pooled outbound connection; never shares an MQTT client id with another.
     *
     * @param credentials who it logs in as; {@link Credentials#NONE} for the adapter's own {@code userName}
     * @throws ResourceException also when the broker refuses the credentials
     */
    PublishChannel openPublishChannel(Credentials credentials) throws ResourceException;

    /**
     * Subscribes as one MQTT session, logged in with the request's credentials (or the adapter's); messages go to
     * {@code sink} until the subscription is closed.
     */
    InboundSubscription subscribe(SubscriptionRequest request, InboundSink sink) throws ResourceException;

    @Override
    void close();
}
