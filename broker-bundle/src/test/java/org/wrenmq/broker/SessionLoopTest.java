package org.wrenmq.broker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.netty.util.concurrent.EventExecutor;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.eclipse.paho.client.mqttv3.MqttClient;
import org.eclipse.paho.client.mqttv3.MqttConnectOptions;
import org.eclipse.paho.client.mqttv3.MqttException;
import org.eclipse.paho.client.mqttv3.persist.MemoryPersistence;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.wrenmq.broker.session.Outlet;
import org.wrenmq.broker.session.Session;

/**
 * A session runs on the event loop of the connection attached to it: resumed by a connection on another loop, it
 * moves there, so no packet or write of that client crosses threads; messages keep their order through the move.
 */
class SessionLoopTest {
    private static final Duration PATIENCE = Duration.ofSeconds(10);

    @TempDir
    Path store;

    @Test
    void resumedSessionMovesToItsNewConnectionsLoop() throws Exception {
        try (Broker broker = start(false)) {
            BlockingQueue<String> received = new LinkedBlockingQueue<>();
            MqttClient subscriber = client(broker, "mover", received);
            subscriber.subscribe("move/t", 1);
            Session session = session(broker, "mover");
            EventExecutor firstLoop = session.executor();

            for (int i = 0; i < 10 && connectionLoop(session) == firstLoop; i++) {
                subscriber.disconnect();
                subscriber.connect(options());
                awaitAttached(session);
            }

            assertThat(connectionLoop(session)).as("a reconnect landed on the other loop").isNotSameAs(firstLoop);
            assertThat(session.executor()).as("the session moved with it").isSameAs(connectionLoop(session));
            assertThat(broker.counters().get("sessions.moved_loop")).isPositive();
            assertMessagesFlowInOrder(broker, received);
            subscriber.disconnect();
            subscriber.close();
        }
    }

    @Test
    void sessionRestoredFromTheStoreRunsOnTheLoopOfTheConnectionThatResumesIt() throws Exception {
        try (Broker broker = start(true)) {
            MqttClient before = client(broker, "restored", new LinkedBlockingQueue<>());
            before.subscribe("move/t", 1);
            before.disconnect();
            before.close();
        }
        try (Broker broker = start(true)) {
            for (int i = 0; i < 4; i++) { // whichever loop the store's session started on, each connection is followed
                BlockingQueue<String> received = new LinkedBlockingQueue<>();
                MqttClient again = client(broker, "restored", received);
                Session session = session(broker, "restored");
                awaitAttached(session);
                assertThat(session.executor()).isSameAs(connectionLoop(session));
                assertMessagesFlowInOrder(broker, received);
                again.disconnect();
                again.close();
            }
        }
    }

    private Broker start(boolean persistence) {
        return Broker.builder().listener(0, "127.0.0.1").set("allow_anonymous", "true")
                .set("persistence", String.valueOf(persistence)).set("persistence_location", store.toString())
                .set("io_threads", "2").build().start();
    }

    private static void assertMessagesFlowInOrder(Broker broker, BlockingQueue<String> received) throws Exception {
        MqttClient publisher = client(broker, "publisher-" + System.nanoTime(), new LinkedBlockingQueue<>());
        List<String> sent = new ArrayList<>();
        for (int i = 0; i < 100; i++) {
            sent.add(String.valueOf(i));
            publisher.publish("move/t", String.valueOf(i).getBytes(StandardCharsets.UTF_8), 1, false);
        }
        List<String> got = new ArrayList<>();
        while (got.size() < sent.size()) {
            String m = received.poll(PATIENCE.toMillis(), TimeUnit.MILLISECONDS);
            assertThat(m).as("message %d of %d", got.size(), sent.size()).isNotNull();
            got.add(m);
        }
        assertThat(got).containsExactlyElementsOf(sent);
        publisher.disconnect();
        publisher.close();
    }

    private static MqttClient client(Broker broker, String clientId, BlockingQueue<String> received)
            throws MqttException {
        MqttClient c = new MqttClient("tcp://127.0.0.1:" + broker.port(), clientId, new MemoryPersistence());
        c.setCallback(new org.eclipse.paho.client.mqttv3.MqttCallback() {
            @Override
            public void connectionLost(Throwable cause) {
            }

            @Override
            public void messageArrived(String topic, org.eclipse.paho.client.mqttv3.MqttMessage message) {
                received.add(new String(message.getPayload(), StandardCharsets.UTF_8));
            }

            @Override
            public void deliveryComplete(org.eclipse.paho.client.mqttv3.IMqttDeliveryToken token) {
            }
        });
        c.connect(options());
        return c;
    }

    private static MqttConnectOptions options() {
        MqttConnectOptions o = new MqttConnectOptions();
        o.setCleanSession(false);
        o.setMaxInflight(1000);
        return o;
    }

    private static Session session(Broker broker, String clientId) {
        return broker.context().sessions().all().stream().filter(s -> s.clientId().equals(clientId)).findFirst()
                .orElseThrow();
    }

    private static void awaitAttached(Session session) {
        await().atMost(PATIENCE).until(() -> session.outlet() != null && session.outlet().eventLoop() != null);
    }

    private static EventExecutor connectionLoop(Session session) {
        Outlet o = session.outlet();
        return o == null ? null : o.eventLoop();
    }
}
