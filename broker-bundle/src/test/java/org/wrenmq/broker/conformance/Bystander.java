package org.wrenmq.broker.conformance;

import static org.assertj.core.api.Assertions.assertThat;

import org.eclipse.paho.client.mqttv3.MqttException;

/**
 * A client connected before something goes wrong on another connection; afterwards it must still be connected and
 * still get its own QoS 1 message through the broker: one bad connection must not hurt the others.
 */
final class Bystander {
    private static final String TOPIC = "bystander/echo";
    private final PahoClient client;
    private int round;

    Bystander(PahoClient client) throws MqttException {
        this.client = client;
        client.subscribe(TOPIC, 1);
    }

    void assertStillServed() throws MqttException {
        assertThat(client.isConnected()).as("bystander still connected").isTrue();
        String payload = "still here " + ++round;
        client.publish(TOPIC, payload, 1);
        assertThat(client.next().payload()).isEqualTo(payload);
    }
}
