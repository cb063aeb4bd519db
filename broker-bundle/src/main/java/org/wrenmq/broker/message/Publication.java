package org.wrenmq.broker.message;

import java.util.List;
import org.wrenmq.api.MqttMessage;
import org.wrenmq.api.QoS;
import org.wrenmq.api.UserProperty;

/**
 * An application message inside the broker, as published. Immutable and shared: one instance (and one payload
 * array) serves every subscriber and queue that holds it, so the payload is never copied per delivery.
 *
 * @param expiresAtMillis wall-clock time after which the message must not be delivered, 0 for never
 *                        (MQTT 5 message expiry interval)
 * @param publisherId     client id of the publishing session, for MQTT 5's no-local option; null from in-VM
 *                        publishers
 */
public record Publication(String topic, byte[] payload, QoS qos, boolean retain, String contentType,
                          String responseTopic, byte[] correlationData, Integer payloadFormat,
                          List<UserProperty> userProperties, long expiresAtMillis, String publisherId,
                          long receivedNanos) {

    /** @param receivedNanos {@link System#nanoTime()} when the broker read it, for the latency histogram; 0: not timed */
    public Publication {
        userProperties = userProperties == null ? List.of() : userProperties;
    }

    /** A publication that is not timed ({@link #receivedNanos()} 0). */
    public Publication(String topic, byte[] payload, QoS qos, boolean retain, String contentType, String responseTopic,
                       byte[] correlationData, Integer payloadFormat, List<UserProperty> userProperties,
                       long expiresAtMillis, String publisherId) {
        this(topic, payload, qos, retain, contentType, responseTopic, correlationData, payloadFormat, userProperties,
                expiresAtMillis, publisherId, 0);
    }

    /** This publication, timed from {@code nanos} on. */
    public Publication receivedAt(long nanos) {
        return new Publication(topic, payload, qos, retain, contentType, responseTopic, correlationData, payloadFormat,
                userProperties, expiresAtMillis, publisherId, nanos);
    }

    /** A plain message without MQTT 5 properties (MQTT 3.1/3.1.1 publishers, wills). */
    public static Publication simple(String topic, byte[] payload, QoS qos, boolean retain, String publisherId) {
        return new Publication(topic, payload, qos, retain, null, null, null, null, List.of(), 0, publisherId);
    }

    public static Publication fromApi(MqttMessage m, String publisherId, long nowMillis) {
        long expiresAt = m.messageExpiryInterval().isPresent()
                ? nowMillis + m.messageExpiryInterval().getAsLong() * 1000 : 0;
        Integer format = m.payloadUtf8().map(utf8 -> utf8 ? 1 : 0).orElse(null);
        return new Publication(m.topic(), m.payload(), m.qos(), m.retain(), m.contentType().orElse(null),
                m.responseTopic().orElse(null), m.correlationData().orElse(null), format, m.userProperties(),
                expiresAt, publisherId);
    }

    public MqttMessage toApi(QoS deliveredQos, boolean retainFlag, long nowMillis) {
        MqttMessage.Builder b = MqttMessage.builder(topic).payload(payload).qos(deliveredQos).retain(retainFlag)
                .contentType(contentType).responseTopic(responseTopic).correlationData(correlationData);
        if (payloadFormat != null) {
            b.payloadUtf8(payloadFormat == 1);
        }
        if (expiresAtMillis != 0) {
            b.messageExpiryInterval(remainingExpirySeconds(nowMillis));
        }
        userProperties.forEach(p -> b.userProperty(p.name(), p.value()));
        return b.build();
    }

    public boolean isExpired(long nowMillis) {
        return expiresAtMillis != 0 && nowMillis >= expiresAtMillis;
    }

    /** What is left of the expiry interval, rounded up, for the copy forwarded to a subscriber. */
    public long remainingExpirySeconds(long nowMillis) {
        return Math.max(0, (expiresAtMillis - nowMillis + 999) / 1000);
    }
}
