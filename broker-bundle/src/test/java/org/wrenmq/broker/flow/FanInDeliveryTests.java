package org.wrenmq.broker.flow;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

import org.eclipse.paho.client.mqttv3.IMqttDeliveryToken;
import org.eclipse.paho.client.mqttv3.MqttCallback;
import org.eclipse.paho.client.mqttv3.MqttClient;
import org.eclipse.paho.client.mqttv3.MqttConnectOptions;
import org.eclipse.paho.client.mqttv3.MqttException;
import org.eclipse.paho.client.mqttv3.MqttMessage;
import org.eclipse.paho.client.mqttv3.persist.MemoryPersistence;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.wrenmq.broker.testing.InProcessBroker;

/**
 * Many devices publishing to one subscriber, as Paho clients do it: one connection each, one PUBLISH per write,
 * QoS 0. Every message must reach the subscriber, in each publisher's order [MQTT-4.6.0-5], on one event loop and
 * on several, and also when the subscriber stops reading for a while so that the broker's socket towards it fills,
 * the connection turns unwritable and the broker has to queue and resume on its own. Nothing here depends on
 * timing: the test waits (bounded) for the last message, whatever the speed of the machine.
 */
class FanInDeliveryTests {
    private static final int PUBLISHERS = 8;
    private static final int MESSAGES_PER_PUBLISHER = 2_500;
    /**
     * 11 MB waiting for a subscriber that does not read: more than loopback's socket buffers (4 MB send buffer at
     * most, a receive buffer that does not grow while nothing is read) and the broker's 1 MiB write buffer.
     */
    private static final int MESSAGES_PER_PUBLISHER_UNREAD = 5_000;
    private static final int PAYLOAD_BYTES = 256;
    /** Generous: a bound for a broken broker, not a speed the test expects. */
    private static final Duration PATIENCE = Duration.ofSeconds(90);

    @RegisterExtension
    final FanInBroker broker = new FanInBroker();

    @ParameterizedTest(name = "io_threads {0}")
    @ValueSource(strings = {"1", "2"})
    void everyQos0MessageOfEightPublishersReachesTheOneSubscriber(String ioThreads) throws Exception {
        broker.set("io_threads", ioThreads);
        Subscriber subscriber = broker.subscriber(new CountDownLatch(0));

        publishFromEach(MESSAGES_PER_PUBLISHER);

        subscriber.awaitAll(PUBLISHERS * MESSAGES_PER_PUBLISHER);
    }

    @ParameterizedTest(name = "io_threads {0}")
    @ValueSource(strings = {"1", "2"})
    void aSubscriberThatStopsReadingGetsEverythingOnceItReadsAgain(String ioThreads) throws Exception {
        broker.set("io_threads", ioThreads);
        CountDownLatch publishersDone = new CountDownLatch(1);
        // the subscriber's client blocks on the first message until every publisher wrote all of its messages:
        // (so its connection turns unwritable and the broker queues)
        Subscriber subscriber = broker.subscriber(publishersDone);

        publishFromEach(MESSAGES_PER_PUBLISHER_UNREAD);
        publishersDone.countDown();

        subscriber.awaitAll(PUBLISHERS * MESSAGES_PER_PUBLISHER_UNREAD);
    }

    /** Each publisher on its own thread and connection, synchronous QoS 0 publishes (one packet per write). */
    private void publishFromEach(int messagesEach) throws Exception {
        List<Thread> threads = new ArrayList<>();
        AtomicReference<Throwable> failure = new AtomicReference<>();
        for (int p = 0; p < PUBLISHERS; p++) {
            MqttClient client = broker.connected("device-" + p);
            int publisher = p;
            Thread t = new Thread(() -> {
                try {
                    for (int seq = 0; seq < messagesEach; seq++) {
                        client.publish("devices/" + publisher + "/reading", payload(publisher, seq), 0, false);
                    }
                } catch (MqttException e) {
                    failure.compareAndSet(null, e);
                }
            }, "publisher-" + p);
            threads.add(t);
            t.start();
        }
        for (Thread t : threads) {
            t.join(PATIENCE.toMillis());
        }
        assertThat(failure.get()).as("publish failure").isNull();
        assertThat(threads).noneMatch(Thread::isAlive);
    }

    private static byte[] payload(int publisher, int seq) {
        return ByteBuffer.allocate(PAYLOAD_BYTES).putInt(publisher).putInt(seq).array();
    }

    /** Counts what arrives and checks each publisher's messages come in the order they were published. */
    static final class Subscriber implements MqttCallback {
        private final CountDownLatch mayRead;
        private final AtomicInteger received = new AtomicInteger();
        private final int[] nextSeq = new int[PUBLISHERS];
        private final AtomicReference<String> orderError = new AtomicReference<>();
        private volatile Throwable lost;

        Subscriber(CountDownLatch mayRead) {
            this.mayRead = mayRead;
        }

        @Override
        public void messageArrived(String topic, MqttMessage message) throws InterruptedException {
            mayRead.await(PATIENCE.toMillis(), TimeUnit.MILLISECONDS);
            ByteBuffer b = ByteBuffer.wrap(message.getPayload());
            int publisher = b.getInt();
            int seq = b.getInt();
            if (seq != nextSeq[publisher]) {
                orderError.compareAndSet(null, "publisher " + publisher + ": got " + seq + ", expected "
                        + nextSeq[publisher]);
            }
            nextSeq[publisher] = seq + 1;
            received.incrementAndGet();
        }

        @Override
        public void connectionLost(Throwable cause) {
            lost = cause;
        }

        @Override
        public void deliveryComplete(IMqttDeliveryToken token) {
        }

        void awaitAll(int expected) {
            await().atMost(PATIENCE).pollInterval(Duration.ofMillis(50))
                    .until(() -> received.get() >= expected || lost != null);
            assertThat(lost).as("subscriber's connection").isNull();
            assertThat(received.get()).as("messages received").isEqualTo(expected);
            assertThat(orderError.get()).as("order per publisher").isNull();
        }
    }

    /** A broker that queues rather than drops: the test is about delivery, not about the queue limit. */
    static final class FanInBroker extends InProcessBroker {
        FanInBroker() {
            put("max_queued_messages", "100000");
        }

        void set(String key, String value) {
            put(key, value);
        }

        MqttClient connected(String clientId) throws MqttException {
            MqttClient client = new MqttClient("tcp://127.0.0.1:" + port(), clientId, new MemoryPersistence());
            MqttConnectOptions options = new MqttConnectOptions();
            options.setCleanSession(true);
            options.setAutomaticReconnect(false);
            options.setKeepAliveInterval(60);
            options.setMaxInflight(1000);
            client.connect(options);
            track(() -> {
                if (client.isConnected()) {
                    client.disconnectForcibly(0, 1000, false);
                }
                client.close(true);
            });
            return client;
        }

        Subscriber subscriber(CountDownLatch mayRead) throws MqttException {
            MqttClient client = connected("subscriber");
            Subscriber subscriber = new Subscriber(mayRead);
            client.setCallback(subscriber);
            client.subscribe("devices/+/reading", 0);
            return subscriber;
        }
    }
}
