package org.wrenmq.it.appserver.beans;

import jakarta.ejb.ActivationConfigProperty;
import jakarta.ejb.EJB;
import jakarta.ejb.MessageDriven;
import jakarta.json.bind.Jsonb;
import jakarta.json.bind.JsonbBuilder;
import org.wrenmq.api.MqttMessage;
import org.wrenmq.api.MqttMessageListener;

/** Turns JSON back into a Point. */
@MessageDriven(messageListenerInterface = MqttMessageListener.class, activationConfig = {
    @ActivationConfigProperty(propertyName = "topicFilter", propertyValue = "it/json/#")})
public class JsonListener implements MqttMessageListener {

    @EJB
    Received received;

    @Override
    public void onMessage(MqttMessage message) {
        received.record(message);
        try (Jsonb jsonb = JsonbBuilder.create()) {
            received.recordObject(jsonb.fromJson(message.payloadAsString(), Point.class));
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }
}
