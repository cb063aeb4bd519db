package org.wrenmq.it.appserver.beans;

import jakarta.ejb.ActivationConfigProperty;
import jakarta.ejb.EJB;
import jakarta.ejb.MessageDriven;
import org.wrenmq.api.MqttMessage;
import org.wrenmq.api.MqttMessageListener;

/** Takes the load test, through a shared subscription, at most 3 at once (the MDB pool is 3 too). */
@MessageDriven(messageListenerInterface = MqttMessageListener.class, activationConfig = {
    @ActivationConfigProperty(propertyName = "topicFilter", propertyValue = "it/load/#"),
    @ActivationConfigProperty(propertyName = "maxConcurrency", propertyValue = "3"),
    @ActivationConfigProperty(propertyName = "shareGroup", propertyValue = "load")})
public class LoadListener implements MqttMessageListener {

    @EJB
    Received received;

    @Override
    public void onMessage(MqttMessage message) {
        received.enter();
        try {
            received.record(message);
        } finally {
            received.leave();
        }
    }
}
