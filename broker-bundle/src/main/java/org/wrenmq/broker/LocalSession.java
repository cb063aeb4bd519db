package org.wrenmq.broker;

import org.wrenmq.api.MqttMessage;
import org.wrenmq.api.QoS;

/**
 * An MQTT session for a client inside the JVM (an OSGi listener, a message-driven bean): subscriptions, QoS and
 * acknowledgements as for a network client, without a socket. Obtain one from {@link Broker#openLocalSession}.
 */
public interface LocalSession extends AutoCloseable {

    /** The session expiry interval that means never (MQTT 5's 0xFFFFFFFF seconds). */
    long SESSION_NEVER_EXPIRES = org.wrenmq.broker.session.SessionRegistry.NEVER_EXPIRES;

    /** Receives the session's messages. */
    interface Handler {
        /**
         * Called on a broker event loop: hand long work to an executor of your own, and answer through
         * {@code ack} from any thread. At most the session's receive maximum of QoS 1/2 messages are
         * unacknowledged at once.
         */
        void onMessage(MqttMessage message, Acknowledgement ack);
    }

    /** Settles one delivered message. For QoS 0 both calls do nothing. */
    interface Acknowledgement {
        /** The message was processed: PUBACK (QoS 1) or the end of the QoS 2 exchange. */
        void accept();

        /** The message was not processed: it is delivered again, marked duplicate, after a short delay. */
        void reject();
    }

    String clientId();

    /**
     * Subscribes; {@code $share/GROUP/FILTER} makes a shared subscription.
     *
     * @throws IllegalArgumentException for a malformed filter
     * @throws SecurityException when the session logged in as a user the acl_file lets read nothing under it
     */
    void subscribe(String topicFilter, QoS qos);

    void unsubscribe(String topicFilter);

    /** Detaches: a clean session ends, a persistent one keeps its subscriptions and queues messages. */
    @Override
    void close();
}
