package org.wrenmq.api;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * An application message: topic, payload, QoS, retain flag and the MQTT 5 properties that travel with it.
 * Immutable; the payload array is copied on the way in and out.
 */
public final class MqttMessage {
    private final String topic;
    private final byte[] payload;
    private final QoS qos;
    private final boolean retain;
    private final String contentType;
    private final String responseTopic;
    private final byte[] correlationData;
    private final Boolean payloadUtf8;
    private final Long messageExpiryInterval;
    private final List<UserProperty> userProperties;

    private MqttMessage(Builder b) {
        this.topic = Objects.requireNonNull(b.topic, "topic");
        this.payload = b.payload == null ? new byte[0] : b.payload.clone();
        this.qos = Objects.requireNonNull(b.qos, "qos");
        this.retain = b.retain;
        this.contentType = b.contentType;
        this.responseTopic = b.responseTopic;
        this.correlationData = b.correlationData == null ? null : b.correlationData.clone();
        this.payloadUtf8 = b.payloadUtf8;
        this.messageExpiryInterval = b.messageExpiryInterval;
        this.userProperties = List.copyOf(b.userProperties);
    }

    public static Builder builder(String topic) {
        return new Builder().topic(topic);
    }

    /** A message with a UTF-8 text payload, QoS 0, not retained. */
    public static MqttMessage of(String topic, String text) {
        return builder(topic).payload(text).build();
    }

    public String topic() { return topic; }
    public byte[] payload() { return payload.clone(); }
    public String payloadAsString() { return new String(payload, StandardCharsets.UTF_8); }
    public QoS qos() { return qos; }
    public boolean retain() { return retain; }
    public Optional<String> contentType() { return Optional.ofNullable(contentType); }
    public Optional<String> responseTopic() { return Optional.ofNullable(responseTopic); }
    public Optional<byte[]> correlationData() {
        return Optional.ofNullable(correlationData).map(byte[]::clone);
    }
    /** MQTT 5 payload format indicator: present and true when the sender declared the payload UTF-8 text. */
    public Optional<Boolean> payloadUtf8() { return Optional.ofNullable(payloadUtf8); }
    /** MQTT 5 message expiry interval in seconds, when the message has one. */
    public OptionalLong messageExpiryInterval() {
        return messageExpiryInterval == null ? OptionalLong.empty() : OptionalLong.of(messageExpiryInterval);
    }
    public List<UserProperty> userProperties() { return userProperties; }

    /** A builder holding this message's values, for a changed copy. */
    public Builder toBuilder() {
        Builder b = new Builder().topic(topic).payload(payload).qos(qos).retain(retain)
                .contentType(contentType).responseTopic(responseTopic).correlationData(correlationData);
        b.payloadUtf8 = payloadUtf8;
        b.messageExpiryInterval = messageExpiryInterval;
        b.userProperties.addAll(userProperties);
        return b;
    }

    @Override
    public boolean equals(Object o) {
        if (this == o) return true;
        if (!(o instanceof MqttMessage)) return false;
        MqttMessage m = (MqttMessage) o;
        return retain == m.retain && topic.equals(m.topic) && Arrays.equals(payload, m.payload) && qos == m.qos
                && Objects.equals(contentType, m.contentType) && Objects.equals(responseTopic, m.responseTopic)
                && Arrays.equals(correlationData, m.correlationData) && Objects.equals(payloadUtf8, m.payloadUtf8)
                && Objects.equals(messageExpiryInterval, m.messageExpiryInterval)
                && userProperties.equals(m.userProperties);
    }

    @Override
    public int hashCode() {
        return Objects.hash(topic, Arrays.hashCode(payload), qos, retain);
    }

    @Override
    public String toString() {
        return "MqttMessage[topic=" + topic + ", qos=" + qos.value() + ", retain=" + retain
                + ", payload=" + payload.length + " bytes]";
    }

    public static final class Builder {
        private String topic;
        private byte[] payload;
        private QoS qos = QoS.AT_MOST_ONCE;
        private boolean retain;
        private String contentType;
        private String responseTopic;
        private byte[] correlationData;
        private Boolean payloadUtf8;
        private Long messageExpiryInterval;
        private final java.util.ArrayList<UserProperty> userProperties = new java.util.ArrayList<>();

        private Builder() {
        }

        public Builder topic(String topic) { this.topic = topic; return this; }
        public Builder payload(byte[] payload) { this.payload = payload; return this; }
        /** A UTF-8 text payload; also sets the payload format indicator. */
        public Builder payload(String text) {
            this.payload = text.getBytes(StandardCharsets.UTF_8);
            this.payloadUtf8 = Boolean.TRUE;
            return this;
        }
        public Builder qos(QoS qos) { this.qos = qos; return this; }
        public Builder qos(int qos) { return qos(QoS.of(qos)); }
        public Builder retain(boolean retain) { this.retain = retain; return this; }
        public Builder contentType(String contentType) { this.contentType = contentType; return this; }
        public Builder responseTopic(String responseTopic) { this.responseTopic = responseTopic; return this; }
        public Builder correlationData(byte[] correlationData) { this.correlationData = correlationData; return this; }
        public Builder payloadUtf8(boolean utf8) { this.payloadUtf8 = utf8; return this; }
        public Builder messageExpiryInterval(long seconds) {
            if (seconds < 0 || seconds > 0xFFFF_FFFFL) {
                throw new IllegalArgumentException("message expiry interval must be 0..4294967295 s, not " + seconds);
            }
            this.messageExpiryInterval = seconds;
            return this;
        }
        public Builder userProperty(String name, String value) {
            userProperties.add(new UserProperty(name, value));
            return this;
        }
        public MqttMessage build() { return new MqttMessage(this); }
    }
}
