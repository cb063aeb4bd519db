package org.wrenmq.it.appserver.beans;

import jakarta.ejb.ActivationConfigProperty;
import jakarta.ejb.EJB;
import jakarta.ejb.MessageDriven;
import org.wrenmq.api.MqttMessage;
import org.wrenmq.api.MqttMessageListener;

/** Fails every time: its messages end as dead letters after 1 + 2 deliveries. */
@MessageDriven(messageListenerInterface = MqttMessageListener.class, activationConfig = {
    @ActivationConfigProperty(propertyName = "topicFilter", propertyValue = "it/fail/#"),
    @ActivationConfigProperty(propertyName = "maxRedeliveries", propertyValue = "2")})
public class AlwaysFailingListener implements MqttMessageListener {

    @EJB
    Received received;

    @Override
    public void onMessage(MqttMessage message) {
        received.attempt(message.payloadAsString());
        throw new IllegalStateException("always fails on purpose");
    }
}
