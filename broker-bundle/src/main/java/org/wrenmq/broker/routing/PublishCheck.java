package org.wrenmq.broker.routing;

import org.wrenmq.broker.BrokerConfig;
import org.wrenmq.broker.metrics.BrokerMetrics;

/**
 * The one check of an incoming publication against the topic rules and the broker's limits, for every way a
 * message comes in: a client's PUBLISH (handler/PublishHandler) and an in-VM publisher (Broker.publish). A network
 * client that breaks a rule is disconnected with the refusal's reason code; an in-VM publisher gets it in an
 * {@code MqttPublishException}.
 */
public final class PublishCheck {
    public static final int TOPIC_NAME_INVALID = 0x90;
    public static final int PACKET_TOO_LARGE = 0x95;
    public static final int RETAIN_NOT_SUPPORTED = 0x9A;
    public static final int QOS_NOT_SUPPORTED = 0x9B;

    /** Why a publication is refused: its MQTT 5 reason code and a line for the log (with the spec statement). */
    public record Refusal(int reasonCode, String why) {
    }

    private final BrokerConfig config;
    private final BrokerMetrics metrics;

    public PublishCheck(BrokerConfig config, BrokerMetrics metrics) {
        this.config = config;
        this.metrics = metrics;
    }

    /** @return null when the publication may be routed, else why not (and the refusal is counted) */
    public Refusal check(String topic, int qos, boolean retain, int payloadSize) {
        String topicError = Topics.topicNameError(topic);
        if (topicError != null) {
            return new Refusal(TOPIC_NAME_INVALID, topicError);
        }
        if (qos > config.maxQos()) {
            metrics.messagesRefusedMaxQos.increment();
            return new Refusal(QOS_NOT_SUPPORTED, "QoS " + qos + " above max_qos " + config.maxQos()
                    + " [MQTT-3.2.2-11]");
        }
        if (retain && !config.retainAvailable()) {
            return new Refusal(RETAIN_NOT_SUPPORTED, "retained message while retain_available is false"
                    + " [MQTT-3.2.2-14]");
        }
        if (payloadSize > config.messageSizeLimit()) {
            metrics.messagesRefusedSizeLimit.increment();
            return new Refusal(PACKET_TOO_LARGE, "payload of " + payloadSize + " bytes exceeds message_size_limit "
                    + config.messageSizeLimit());
        }
        return null;
    }
}
