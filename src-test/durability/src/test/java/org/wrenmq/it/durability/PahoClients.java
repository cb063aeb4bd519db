package org.wrenmq.it.durability;

import org.eclipse.paho.client.mqttv3.MqttClient;
import org.eclipse.paho.client.mqttv3.MqttConnectOptions;
import org.eclipse.paho.client.mqttv3.MqttException;
import org.eclipse.paho.client.mqttv3.persist.MemoryPersistence;

/** Paho MQTT 3.1.1 clients as the tests use them: no automatic reconnect, state in memory only. */
final class PahoClients {
    private PahoClients() {
    }

    /** A connected client; {@code cleanSession false} resumes or creates a persistent session. */
    static MqttClient connect(String uri, String clientId, boolean cleanSession, Inbox inbox) throws MqttException {
        MqttClient client = create(uri, clientId, inbox);
        client.connect(options(cleanSession));
        return client;
    }

    /** A client not yet connected, delivering to {@code inbox} (may be null). */
    static MqttClient create(String uri, String clientId, Inbox inbox) throws MqttException {
        MqttClient client = new MqttClient(uri, clientId, new MemoryPersistence());
        if (inbox != null) {
            client.setCallback(inbox);
        }
        return client;
    }

    /** Connects and says whether the broker still had a session for this client id. */
    static boolean connectAndCheckSession(MqttClient client, boolean cleanSession) throws MqttException {
        return client.connectWithResult(options(cleanSession)).getSessionPresent();
    }

    static MqttConnectOptions options(boolean cleanSession) {
        MqttConnectOptions o = new MqttConnectOptions();
        o.setCleanSession(cleanSession);
        o.setAutomaticReconnect(false);
        o.setConnectionTimeout(10);
        o.setKeepAliveInterval(60);
        o.setMaxInflight(1000);
        return o;
    }

    /** Disconnects if still connected and releases the client's threads. */
    static void closeQuietly(MqttClient client) {
        if (client == null) {
            return;
        }
        try {
            if (client.isConnected()) {
                client.disconnect(2_000);
            }
        } catch (MqttException e) {
            // the broker may be gone already (killed by the test): nothing to say goodbye to
        }
        try {
            client.close(true);
        } catch (MqttException e) {
            // nothing left to release
        }
    }
}
