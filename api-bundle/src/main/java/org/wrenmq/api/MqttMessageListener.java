package org.wrenmq.api;

/**
 * Receives application messages. In OSGi, register it as a service with the properties in
 * {@link MqttListenerProperties}; in Jakarta EE, implement it in a message-driven bean.
 * Delivery is at least once for QoS 1 and 2: a message is acknowledged only after this method returned
 * normally, and an exception means it is delivered again.
 */
@FunctionalInterface
public interface MqttMessageListener {
    void onMessage(MqttMessage message);
}
