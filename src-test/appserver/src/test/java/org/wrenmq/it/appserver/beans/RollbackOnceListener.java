package org.wrenmq.it.appserver.beans;

import jakarta.annotation.Resource;
import jakarta.ejb.ActivationConfigProperty;
import jakarta.ejb.EJB;
import jakarta.ejb.MessageDriven;
import jakarta.ejb.MessageDrivenContext;
import org.wrenmq.api.MqttMessage;
import org.wrenmq.api.MqttMessageListener;

/** Marks its first transaction rollback-only without throwing: the message must come again. */
@MessageDriven(messageListenerInterface = MqttMessageListener.class, activationConfig = {
    @ActivationConfigProperty(propertyName = "topicFilter", propertyValue = "it/rollback-only/#")})
public class RollbackOnceListener implements MqttMessageListener {

    @EJB
    Received received;

    @Resource
    MessageDrivenContext context;

    @Override
    public void onMessage(MqttMessage message) {
        if (received.attempt(message.payloadAsString()) == 1) {
            context.setRollbackOnly();
            return;
        }
        received.record(message);
    }
}
