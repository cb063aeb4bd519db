package org.wrenmq.it.appserver.beans;

import jakarta.ejb.ActivationConfigProperty;
import jakarta.ejb.EJB;
import jakarta.ejb.MessageDriven;
import org.wrenmq.api.MqttMessage;
import org.wrenmq.api.MqttMessageListener;

/** Fails on the first delivery of each message, succeeds on the second. */
@MessageDriven(messageListenerInterface = MqttMessageListener.class, activationConfig = {
    @ActivationConfigProperty(propertyName = "topicFilter", propertyValue = "it/flaky/#")})
public class FlakyListener implements MqttMessageListener {

    @EJB
    Received received;

    @Override
    public void onMessage(MqttMessage message) {
        if (received.attempt(message.payloadAsString()) == 1) {
            throw new IllegalStateException("first delivery fails on purpose");
        }
        received.record(message);
    }
}
