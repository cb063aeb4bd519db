package org.wrenmq.it.appserver.beans.cdi;

import jakarta.ejb.ActivationConfigProperty;
import jakarta.ejb.MessageDriven;
import org.wrenmq.api.MqttMessageListener;
import org.wrenmq.cdi.MqttEvents;

/** The one message-driven bean that turns it/cdi-events/# into CDI events; one at a time, so in order. */
@MessageDriven(messageListenerInterface = MqttMessageListener.class, activationConfig = {
    @ActivationConfigProperty(propertyName = "topicFilter", propertyValue = "it/cdi-events/#"),
    @ActivationConfigProperty(propertyName = "maxConcurrency", propertyValue = "1")})
public class CdiEvents extends MqttEvents {
}
