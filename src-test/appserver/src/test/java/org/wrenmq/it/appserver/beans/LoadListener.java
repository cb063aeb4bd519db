package org.wrenmq.it.appserver.beans;

import jakarta.ejb.ActivationConfigProperty;
import jakarta.ejb.EJB;
import jakarta.ejb.MessageDriven;
import org.wrenmq.api.MqttMessage;
import org.wrenmq.api.MqttMessageListener;

/**
 * Takes the load test through a shared subscription, at most 2 at once: below WildFly's MDB pool of 3 in these
 * tests, so the bound measured is the adapter's.
 */
@MessageDriven(messageListenerInterface = MqttMessageListener.class, activationConfig = {
    @ActivationConfigProperty(propertyName = "topicFilter", propertyValue = "it/load/#"),
    @ActivationConfigProperty(propertyName = "maxConcurrency", propertyValue = "2"),
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
