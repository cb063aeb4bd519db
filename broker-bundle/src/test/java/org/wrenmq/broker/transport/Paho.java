package org.wrenmq.broker.transport;

import java.nio.charset.StandardCharsets;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLContext;
import org.eclipse.paho.client.mqttv3.MqttClient;
import org.eclipse.paho.client.mqttv3.MqttConnectOptions;
import org.eclipse.paho.client.mqttv3.MqttException;
import org.eclipse.paho.client.mqttv3.persist.MemoryPersistence;

/** Eclipse Paho (MQTT 3.1.1) on any of its URI schemes: tcp, ssl, ws, wss. Received payloads queue up. */
final class Paho implements AutoCloseable {
    private final MqttClient client;
    private final BlockingQueue<String> received = new LinkedBlockingQueue<>();

    Paho(String uri, String clientId) throws MqttException {
        client = new MqttClient(uri, clientId, new MemoryPersistence());
        client.setTimeToWait(10_000);
    }

    Paho connect(SSLContext ssl, String userName, String password) throws MqttException {
        MqttConnectOptions options = new MqttConnectOptions();
        options.setMqttVersion(MqttConnectOptions.MQTT_VERSION_3_1_1);
        options.setAutomaticReconnect(false);
        options.setConnectionTimeout(10);
        if (ssl != null) {
            options.setSocketFactory(ssl.getSocketFactory());
        }
        if (userName != null) {
            options.setUserName(userName);
        }
        if (password != null) {
            options.setPassword(password.toCharArray());
        }
        client.connect(options);
        return this;
    }

    Paho connect(SSLContext ssl) throws MqttException {
        return connect(ssl, null, null);
    }

    Paho subscribe(String filter) throws MqttException {
        client.subscribe(filter, 1, (topic, message) ->
                received.add(new String(message.getPayload(), StandardCharsets.UTF_8)));
        return this;
    }

    void publish(String topic, String payload) throws MqttException {
        client.publish(topic, payload.getBytes(StandardCharsets.UTF_8), 1, false);
    }

    String next() throws InterruptedException {
        return received.poll(10, TimeUnit.SECONDS);
    }

    boolean isConnected() {
        return client.isConnected();
    }

    /** Publishes to itself and waits for it: proves the connection works end to end. */
    String roundTrip(String topic, String payload) throws MqttException, InterruptedException {
        subscribe(topic);
        publish(topic, payload);
        return next();
    }

    @Override
    public void close() throws MqttException {
        if (client.isConnected()) {
            client.disconnect(1000);
        }
        client.close(true);
    }
}
