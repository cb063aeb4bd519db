package org.wrenmq.it.appserver.beans;

import jakarta.annotation.Resource;
import jakarta.ejb.ActivationConfigProperty;
import jakarta.ejb.MessageDriven;
import jakarta.resource.ResourceException;
import org.wrenmq.api.MqttMessage;
import org.wrenmq.api.MqttMessageListener;
import org.wrenmq.api.QoS;
import org.wrenmq.api.jca.MqttConnection;
import org.wrenmq.api.jca.MqttConnectionFactory;

/** Answers each message on it/echo/in/X with the same payload on it/echo/out/X, through the outbound side. */
@MessageDriven(messageListenerInterface = MqttMessageListener.class, activationConfig = {
    @ActivationConfigProperty(propertyName = "topicFilter", propertyValue = "it/echo/in/#")})
public class EchoListener implements MqttMessageListener {

    @Resource(name = "mqtt/factory")
    MqttConnectionFactory factory;

    @Override
    public void onMessage(MqttMessage message) {
        try (MqttConnection connection = factory.getConnection()) {
            connection.publish(message.topic().replace("it/echo/in/", "it/echo/out/"), message.payloadAsString(),
                    QoS.AT_LEAST_ONCE);
        } catch (ResourceException e) {
            throw new IllegalStateException(e);
        }
    }
}
