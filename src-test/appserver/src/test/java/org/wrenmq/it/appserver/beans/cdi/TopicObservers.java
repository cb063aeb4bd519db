package org.wrenmq.it.appserver.beans.cdi;

import jakarta.ejb.EJB;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import org.wrenmq.api.MqttMessage;
import org.wrenmq.cdi.MqttTopic;
import org.wrenmq.it.appserver.beans.Received;

/** Observer methods that receive MQTT messages by topic filter, without a message-driven bean of their own. */
@ApplicationScoped
public class TopicObservers {

    @EJB
    Received received;

    void temperature(@Observes @MqttTopic("it/cdi-events/rooms/+/temperature") MqttMessage message) {
        received.record(message);
    }

    /** Fails the first delivery of each message: the adapter must deliver it again. */
    void flaky(@Observes @MqttTopic("it/cdi-events/flaky") MqttMessage message) {
        if (received.attempt(message.payloadAsString()) == 1) {
            throw new IllegalStateException("first delivery fails on purpose");
        }
        received.record(message);
    }
}
