package org.wrenmq.jca.inbound;

import org.wrenmq.api.MqttMessage;
import org.wrenmq.api.QoS;

/**
 * Builds the message a delivery becomes when the bean failed on it too often: the original, published on
 * {@code <deadLetterTopic>/<original topic>} at QoS 1 or more, with user properties saying what happened.
 */
final class DeadLetters {

    static final String ORIGINAL_TOPIC = "wrenmq-original-topic";
    static final String DELIVERIES = "wrenmq-deliveries";
    static final String ERROR = "wrenmq-error";

    private final String topicPrefix;

    DeadLetters(String topicPrefix) {
        this.topicPrefix = topicPrefix;
    }

    MqttMessage letterFor(MqttMessage original, Throwable lastFailure, int deliveries) {
        return original.toBuilder()
                .topic(topicPrefix + "/" + original.topic())
                .qos(original.qos().value() < 1 ? QoS.AT_LEAST_ONCE : original.qos())
                .retain(false)
                .userProperty(ORIGINAL_TOPIC, original.topic())
                .userProperty(DELIVERIES, Integer.toString(deliveries))
                .userProperty(ERROR, describe(lastFailure))
                .build();
    }

    /** The innermost cause: containers wrap the bean's exception once or twice. */
    private static String describe(Throwable failure) {
        Throwable root = failure;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        return root.getClass().getName() + (root.getMessage() == null ? "" : ": " + root.getMessage());
    }
}
