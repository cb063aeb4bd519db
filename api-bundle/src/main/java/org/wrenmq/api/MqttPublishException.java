package org.wrenmq.api;

/** The broker refused a message; {@link #reasonCode()} is the MQTT 5 reason code that says why. */
public class MqttPublishException extends RuntimeException {
    private static final long serialVersionUID = 1L;
    private final int reasonCode;

    public MqttPublishException(int reasonCode, String message) {
        super(message);
        this.reasonCode = reasonCode;
    }

    public int reasonCode() {
        return reasonCode;
    }
}
