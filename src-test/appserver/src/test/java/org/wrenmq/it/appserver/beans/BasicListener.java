package org.wrenmq.it.appserver.beans;

import jakarta.ejb.ActivationConfigProperty;
import jakarta.ejb.EJB;
import jakarta.ejb.MessageDriven;
import org.wrenmq.api.MqttMessage;
import org.wrenmq.api.MqttMessageListener;

/** Records what it receives. */
@MessageDriven(messageListenerInterface = MqttMessageListener.class, activationConfig = {
    @ActivationConfigProperty(propertyName = "topicFilter", propertyValue = "it/basic/#")})
public class BasicListener implements MqttMessageListener {

    @EJB
    Received received;

    @Override
    public void onMessage(MqttMessage message) {
        received.record(message);
    }
}
