package org.wrenmq.broker.mqtt5;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import org.eclipse.paho.mqttv5.client.IMqttToken;
import org.eclipse.paho.mqttv5.client.MqttAsyncClient;
import org.eclipse.paho.mqttv5.client.MqttCallback;
import org.eclipse.paho.mqttv5.client.MqttClientException;
import org.eclipse.paho.mqttv5.client.MqttConnectionOptions;
import org.eclipse.paho.mqttv5.client.MqttDisconnectResponse;
import org.eclipse.paho.mqttv5.client.persist.MemoryPersistence;
import org.eclipse.paho.mqttv5.common.MqttException;
import org.eclipse.paho.mqttv5.common.MqttMessage;
import org.eclipse.paho.mqttv5.common.MqttSubscription;
import org.eclipse.paho.mqttv5.common.packet.MqttProperties;
import org.wrenmq.broker.testing.QueuingClient;

/**
 * An Eclipse Paho MQTT 5 client (public: the cluster tests use it too) that queues what it receives (with every property) and remembers how the broker
 * ended the connection, for a test to take in order.
 */
public final class Paho5 extends QueuingClient<Paho5.Received> {
    /** A message as Paho received it. */
    public record Received(String topic, MqttMessage message) {
        public String payload() {
            return new String(message.getPayload(), StandardCharsets.UTF_8);
        }

        MqttProperties properties() {
            return message.getProperties();
        }
    }

    private final MqttAsyncClient client;
    private final CompletableFuture<MqttDisconnectResponse> disconnected = new CompletableFuture<>();

    public Paho5(int port, String clientId) {
        super(clientId);
        try {
            client = new MqttAsyncClient("tcp://127.0.0.1:" + port, clientId, new MemoryPersistence());
        } catch (MqttException e) {
            throw new IllegalStateException(e);
        }
        client.setCallback(new MqttCallback() {
            @Override
            public void disconnected(MqttDisconnectResponse response) {
                disconnected.complete(response);
            }

            @Override
            public void mqttErrorOccurred(MqttException exception) {
            }

            @Override
            public void messageArrived(String topic, MqttMessage message) {
                deliver(new Received(topic, message));
            }

            @Override
            public void deliveryComplete(IMqttToken token) {
            }

            @Override
            public void connectComplete(boolean reconnect, String serverURI) {
            }

            @Override
            public void authPacketArrived(int reasonCode, MqttProperties properties) {
            }
        });
    }

    /** MQTT 5 options: clean start, no automatic reconnect, keep alive 60 s. */
    public static MqttConnectionOptions options() {
        MqttConnectionOptions options = new MqttConnectionOptions();
        options.setCleanStart(true);
        options.setAutomaticReconnect(false);
        options.setConnectionTimeout((int) RawClient5.PATIENCE.toSeconds());
        options.setKeepAliveInterval(60);
        return options;
    }

    /** Connects and returns the completed token: CONNACK's session present flag and properties. */
    public IMqttToken connect(MqttConnectionOptions options) throws MqttException {
        IMqttToken token = client.connect(options);
        token.waitForCompletion(RawClient5.PATIENCE.toMillis());
        return token;
    }

    public Paho5 connect() throws MqttException {
        connect(options());
        return this;
    }

    /** Subscribes and returns the SUBACK reason codes. */
    int[] subscribe(MqttProperties props, MqttSubscription... subscriptions) throws MqttException {
        IMqttToken token = client.subscribe(subscriptions, null, null, props);
        token.waitForCompletion(RawClient5.PATIENCE.toMillis());
        return token.getReasonCodes();
    }

    /** Subscribes one filter and asserts that the requested QoS was granted. */
    public Paho5 subscribe(String filter, int qos) throws MqttException {
        assertThat(subscribe(new MqttProperties(), new MqttSubscription(filter, qos))).containsExactly(qos);
        return this;
    }

    /**
     * Publishes and, for QoS 1 and 2, waits for the broker's acknowledgement; returns the completed token.
     * Paho 1.2.5 at times refuses a publish with "too many publishes in progress" right after the previous one was
     * acknowledged (its in-flight count lags the acknowledgement: eclipse-paho/paho.mqtt.java#993): that refusal,
     * made by the client before anything is sent, is tried again.
     */
    public IMqttToken publish(String topic, MqttMessage message) throws MqttException {
        IMqttToken token = await().atMost(RawClient5.PATIENCE).pollInterval(Duration.ofMillis(10))
                .ignoreExceptionsMatching(Paho5::inFlightCountLags)
                .until(() -> client.publish(topic, message), sent -> true);
        token.waitForCompletion(RawClient5.PATIENCE.toMillis());
        return token;
    }

    private static boolean inFlightCountLags(Throwable e) {
        return e instanceof MqttException m && m.getReasonCode() == MqttClientException.REASON_CODE_MAX_INFLIGHT;
    }

    public IMqttToken publish(String topic, String payload, int qos) throws MqttException {
        MqttMessage m = new MqttMessage(payload.getBytes(StandardCharsets.UTF_8));
        m.setQos(qos);
        return publish(topic, m);
    }

    /** How the connection ended, as Paho reports it (the broker's DISCONNECT reason code, if it sent one). */
    public MqttDisconnectResponse awaitDisconnected(Duration wait) {
        try {
            return disconnected.get(wait.toMillis(), TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            throw new AssertionError(client.getClientId() + " still connected after " + wait);
        } catch (InterruptedException | ExecutionException e) {
            throw new IllegalStateException(e);
        }
    }

    public boolean isConnected() {
        return client.isConnected();
    }

    /** A normal DISCONNECT with the given reason code and properties (e.g. a new session expiry interval). */
    void disconnect(int reasonCode, MqttProperties props) throws MqttException {
        client.disconnect(RawClient5.PATIENCE.toMillis(), null, null, reasonCode, props)
                .waitForCompletion(RawClient5.PATIENCE.toMillis());
    }

    public void disconnect() throws MqttException {
        disconnect(0, new MqttProperties());
    }

    /** Drops the TCP connection without DISCONNECT, as a crashed client would. */
    public void dropConnection() throws MqttException {
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
