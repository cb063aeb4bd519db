package org.wrenmq.it.durability;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import org.eclipse.paho.client.mqttv3.MqttClient;
import org.eclipse.paho.mqttv5.client.MqttConnectionOptions;
import org.eclipse.paho.mqttv5.common.MqttException;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * What a restart keeps, after a clean stop and after kill -9: retained messages (and cleared ones stay cleared),
 * the subscriptions of a persistent session (no re-subscribe needed), and MQTT 5 sessions until their expiry
 * interval, counted across the time the broker was down.
 */
@DisplayName("restart keeps retained messages, subscriptions and unexpired sessions")
class RestartIT extends BrokerProcessTest {
    @ParameterizedTest
    @EnumSource(Shutdown.class)
    @DisplayName("retained messages are back; a cleared one stays cleared")
    void retainedMessages(Shutdown shutdown) throws Exception {
        broker = new BrokerProcess(dir).start();
        client = PahoClients.connect(broker.uri(), "retainer", true, null);
        client.publish("retained/kept", "kept".getBytes(), 1, true);
        client.publish("retained/cleared", "cleared".getBytes(), 1, true);
        client.publish("retained/cleared", new byte[0], 1, true);
        shutdown.apply(broker);
        PahoClients.closeQuietly(client);

        broker.start();
        Inbox inbox = new Inbox();
        client = PahoClients.connect(broker.uri(), "reader", true, inbox);
        client.subscribe("retained/#", 1);

        await().atMost(Duration.ofSeconds(10)).until(() -> inbox.count("kept") == 1);
        await().during(Duration.ofMillis(500)).atMost(Duration.ofSeconds(3))
                .untilAsserted(() -> assertThat(inbox.distinct()).as("retained messages received").isEqualTo(1));
    }

    @ParameterizedTest
    @EnumSource(Shutdown.class)
    @DisplayName("a persistent session's subscriptions are back: no re-subscribe needed")
    void subscriptionsOfPersistentSession(Shutdown shutdown) throws Exception {
        broker = new BrokerProcess(dir).start();
        client = PahoClients.connect(broker.uri(), "subscriber", false, null);
        client.subscribe(new String[] {"subs/one", "subs/two/+"}, new int[] {1, 2});
        // the client is still connected when the broker goes: SUBACK alone promised the subscription
        shutdown.apply(broker);
        PahoClients.closeQuietly(client);

        broker.start();
        Inbox inbox = new Inbox();
        client = PahoClients.create(broker.uri(), "subscriber", inbox);
        assertThat(PahoClients.connectAndCheckSession(client, false)).as("session present").isTrue();
        MqttClient publisher = PahoClients.connect(broker.uri(), "publisher", true, null);
        try {
            publisher.publish("subs/one", "one".getBytes(), 1, false);
            publisher.publish("subs/two/x", "two".getBytes(), 2, false);
        } finally {
            PahoClients.closeQuietly(publisher);
        }

        await().atMost(Duration.ofSeconds(10)).until(() -> inbox.count("one") == 1 && inbox.count("two") == 1);
    }

    @ParameterizedTest
    @EnumSource(Shutdown.class)
    @DisplayName("MQTT 5 session expiry: a session expired while the broker was down is gone, an unexpired one kept")
    void sessionExpiry(Shutdown shutdown) throws Exception {
        broker = new BrokerProcess(dir).start();
        disconnectAfterSubscribing("short-lived", 2);
        disconnectAfterSubscribing("long-lived", 3600);
        long disconnected = System.nanoTime();
        shutdown.apply(broker);
        // the broker is down past the short expiry interval: it must count that time too
        await().atMost(Duration.ofSeconds(10))
                .until(() -> System.nanoTime() - disconnected > Duration.ofMillis(2_500).toNanos());

        broker.start();

        assertThat(sessionPresent("short-lived")).as("session with expiry 2 s, 2.5 s after disconnect").isFalse();
        assertThat(sessionPresent("long-lived")).as("session with expiry 3600 s").isTrue();
    }

    private void disconnectAfterSubscribing(String clientId, long expirySeconds) throws MqttException {
        org.eclipse.paho.mqttv5.client.MqttClient v5 = v5Client(clientId);
        try {
            MqttConnectionOptions o = new MqttConnectionOptions();
            o.setCleanStart(true);
            o.setSessionExpiryInterval(expirySeconds);
            v5.connect(o);
            v5.subscribe("expiry/" + clientId, 1);
            v5.disconnect();
        } finally {
            v5.close(true);
        }
    }

    private boolean sessionPresent(String clientId) throws MqttException {
        org.eclipse.paho.mqttv5.client.MqttClient v5 = v5Client(clientId);
        try {
            MqttConnectionOptions o = new MqttConnectionOptions();
            o.setCleanStart(false);
            o.setSessionExpiryInterval(60L);
            boolean present = v5.connectWithResult(o).getSessionPresent();
            v5.disconnect();
            return present;
        } finally {
            v5.close(true);
        }
    }

    private org.eclipse.paho.mqttv5.client.MqttClient v5Client(String clientId) throws MqttException {
        return new org.eclipse.paho.mqttv5.client.MqttClient(broker.uri(), clientId,
                new org.eclipse.paho.mqttv5.client.persist.MemoryPersistence());
    }
}
