package org.wrenmq.cdi;

import jakarta.enterprise.event.Event;
import jakarta.inject.Inject;
import org.wrenmq.api.MqttMessage;
import org.wrenmq.api.MqttMessageListener;

/**
 * Turns a message-driven bean into CDI events: extend it with an empty class that carries the subscription, and
 * observe the messages anywhere with {@code @Observes @MqttTopic("filter") MqttMessage}.
 *
 * <pre>
 * &#64;MessageDriven(messageListenerInterface = MqttMessageListener.class, activationConfig =
 *     &#64;ActivationConfigProperty(propertyName = "topicFilter", propertyValue = "sensors/#"))
 * public class SensorEvents extends MqttEvents {}
 * </pre>
 *
 * The observers run synchronously in the bean's delivery and transaction: one that throws (or rolls the
 * transaction back) makes the adapter deliver the message again, to every observer, up to maxRedeliveries.
 * The class exists because the Connectors specification gives a resource adapter one way only to call
 * application code: a message endpoint (an MDB) whose subscription is fixed at deployment.
 */
public abstract class MqttEvents implements MqttMessageListener {

    @Inject
    Event<MqttMessage> events;

    @Override
    public void onMessage(MqttMessage message) {
        events.select(MqttTopic.Literal.INSTANCE).fire(message);
    }
}
