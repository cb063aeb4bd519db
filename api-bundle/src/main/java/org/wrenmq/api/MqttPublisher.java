package org.wrenmq.api;

import java.util.concurrent.CompletionStage;

/**
 * Publishes application messages. The returned stage completes when the broker has accepted the message:
 * routed it for QoS 0, and stored it (as persistence is configured) for QoS 1 and 2. It completes
 * exceptionally with {@link MqttPublishException} when the broker refuses the message.
 */
public interface MqttPublisher {

    CompletionStage<Void> publish(MqttMessage message);

    default CompletionStage<Void> publish(String topic, byte[] payload, QoS qos, boolean retain) {
        return publish(MqttMessage.builder(topic).payload(payload).qos(qos).retain(retain).build());
    }

    default CompletionStage<Void> publish(String topic, String text, QoS qos) {
        return publish(MqttMessage.builder(topic).payload(text).qos(qos).build());
    }

    /** Publishes {@code value} serialized as JSON by JSON-B, with content type {@code application/json}. */
    CompletionStage<Void> publishJson(String topic, Object value, QoS qos);
}
