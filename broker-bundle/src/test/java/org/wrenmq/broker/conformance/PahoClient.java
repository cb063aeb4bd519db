package org.wrenmq.broker.conformance;

import java.nio.charset.StandardCharsets;

import org.eclipse.paho.client.mqttv3.IMqttDeliveryToken;
import org.eclipse.paho.client.mqttv3.MqttCallback;
import org.eclipse.paho.client.mqttv3.MqttClient;
import org.eclipse.paho.client.mqttv3.MqttConnectOptions;
import org.eclipse.paho.client.mqttv3.MqttException;
import org.eclipse.paho.client.mqttv3.MqttMessage;
import org.eclipse.paho.client.mqttv3.persist.MemoryPersistence;
import org.wrenmq.broker.testing.QueuingClient;

/** An Eclipse Paho MQTT 3.1 / 3.1.1 client that queues what it receives, for a test to take in order. */
final class PahoClient extends QueuingClient<Received> {
    static final int MQTT_3_1 = MqttConnectOptions.MQTT_VERSION_3_1;
    static final int MQTT_3_1_1 = MqttConnectOptions.MQTT_VERSION_3_1_1;

    private final MqttClient client;
    private volatile boolean connectionLost;

    PahoClient(int port, String clientId) {
        super(clientId);
        try {
            client = new MqttClient("tcp://127.0.0.1:" + port, clientId, new MemoryPersistence());
        } catch (MqttException e) {
            throw new IllegalStateException(e);
        }
        client.setTimeToWait(RawClient.PATIENCE.toMillis());
        client.setCallback(new MqttCallback() {
            @Override
            public void connectionLost(Throwable cause) {
                connectionLost = true;
            }

            @Override
            public void messageArrived(String topic, MqttMessage message) {
                deliver(new Received(topic, new String(message.getPayload(), StandardCharsets.UTF_8),
                        message.getQos(), message.isRetained(), message.isDuplicate()));
            }

            @Override
            public void deliveryComplete(IMqttDeliveryToken token) {
            }
        });
    }

    static MqttConnectOptions options(int mqttVersion, boolean cleanSession) {
        MqttConnectOptions options = new MqttConnectOptions();
        options.setMqttVersion(mqttVersion);
        options.setCleanSession(cleanSession);
        options.setAutomaticReconnect(false);
        options.setConnectionTimeout((int) RawClient.PATIENCE.toSeconds());
        options.setKeepAliveInterval(60);
        // Paho frees a slot of its window (default 10) only after the publish token completed, so back-to-back
        // synchronous publishes can fail with "Too many publishes in progress": a roomy window avoids that race.
        options.setMaxInflight(1000);
        return options;
    }

    /** Connects and returns the CONNACK's session present flag. */
    boolean connect(MqttConnectOptions options) throws MqttException {
        connectionLost = false;
        return client.connectWithResult(options).getSessionPresent();
    }

    PahoClient connect(int mqttVersion, boolean cleanSession) throws MqttException {
        connect(options(mqttVersion, cleanSession));
        return this;
    }

    /** Subscribes and returns the granted QoS. */
    int subscribe(String filter, int qos) throws MqttException {
        return client.subscribeWithResponse(filter, qos).getGrantedQos()[0];
    }

    void unsubscribe(String filter) throws MqttException {
        client.unsubscribe(filter);
    }

    /** Publishes and, for QoS 1 and 2, waits until the broker acknowledged the message. */
    void publish(String topic, String payload, int qos, boolean retained) throws MqttException {
        client.publish(topic, payload.getBytes(StandardCharsets.UTF_8), qos, retained);
    }

    void publish(String topic, String payload, int qos) throws MqttException {
        publish(topic, payload, qos, false);
    }

    boolean isConnected() {
        return client.isConnected() && !connectionLost;
    }

    boolean connectionLost() {
        return connectionLost;
    }

    void disconnect() throws MqttException {
        client.disconnect();
    }

    /** Drops the TCP connection without a DISCONNECT packet, as a crashed client would. */
    void dropConnection() throws MqttException {
        client.disconnectForcibly(0, 1000, false);
    }

    @Override
    public void close() throws MqttException {
        if (client.isConnected()) {
            client.disconnectForcibly(0, 1000, false);
        }
        client.close(true);
    }
}
