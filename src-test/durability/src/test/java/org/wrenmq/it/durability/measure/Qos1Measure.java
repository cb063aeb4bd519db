package org.wrenmq.it.durability.measure;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.eclipse.paho.client.mqttv3.IMqttActionListener;
import org.eclipse.paho.client.mqttv3.IMqttDeliveryToken;
import org.eclipse.paho.client.mqttv3.IMqttToken;
import org.eclipse.paho.client.mqttv3.MqttAsyncClient;
import org.eclipse.paho.client.mqttv3.MqttCallback;
import org.eclipse.paho.client.mqttv3.MqttClient;
import org.eclipse.paho.client.mqttv3.MqttConnectOptions;
import org.eclipse.paho.client.mqttv3.MqttMessage;
import org.eclipse.paho.client.mqttv3.persist.MemoryPersistence;

/**
 * The load generator of {@code measure.sh} (not a test): QoS 1 messages to a persistent session, so a durable
 * broker must store each one before its PUBACK. Any MQTT 3.1.1 broker.
 *
 * <pre>
 * Qos1Measure URI online  N [P [W]]  persistent subscriber connected: prints published/s (PUBACKs), delivered/s
 * Qos1Measure URI offline N [P [W]]  persistent subscriber offline: prints published/s; messages stay queued
 * Qos1Measure URI drain              reconnects the persistent subscriber, prints how many queued messages arrive
 * </pre>
 * N messages in all, from P publishers at once (default 1), each with up to W messages awaiting PUBACK (default 100).
 */
public final class Qos1Measure {
    private static final String TOPIC = "measure/qos1";
    private static final String SUBSCRIBER = "measure-sub";
    private static int publishers = 1;
    private static int window = 100;
    private static final byte[] PAYLOAD = new byte[256];

    private Qos1Measure() {
    }

    public static void main(String[] args) throws Exception {
        String uri = args[0];
        if (args.length > 3) {
            publishers = Integer.parseInt(args[3]);
        }
        if (args.length > 4) {
            window = Integer.parseInt(args[4]);
        }
        switch (args[1]) {
            case "online" -> online(uri, Integer.parseInt(args[2]));
            case "offline" -> offline(uri, Integer.parseInt(args[2]));
            case "drain" -> drain(uri);
            default -> throw new IllegalArgumentException("mode: online | offline | drain");
        }
    }

    private static void online(String uri, int messages) throws Exception {
        AtomicInteger received = new AtomicInteger();
        MqttClient subscriber = subscriber(uri, received);
        subscriber.subscribe(TOPIC, 1);
        long start = System.nanoTime();
        int acked = publish(uri, messages);
        double publishSeconds = (System.nanoTime() - start) / 1e9;
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (received.get() < acked && System.nanoTime() < deadline) {
            Thread.sleep(5);
        }
        double deliverSeconds = (System.nanoTime() - start) / 1e9;
        System.out.printf("online: %d acknowledged, %.0f published/s; %d delivered, %.0f delivered/s%n", acked,
                acked / publishSeconds, received.get(), received.get() / deliverSeconds);
        subscriber.disconnect();
        subscriber.close();
    }

    private static void offline(String uri, int messages) throws Exception {
        MqttClient subscriber = subscriber(uri, new AtomicInteger());
        subscriber.subscribe(TOPIC, 1);
        subscriber.disconnect();
        subscriber.close();
        long start = System.nanoTime();
        int acked = publish(uri, messages);
        System.out.printf("offline: %d acknowledged, %.0f published/s%n", acked,
                acked / ((System.nanoTime() - start) / 1e9));
    }

    private static void drain(String uri) throws Exception {
        AtomicInteger received = new AtomicInteger();
        MqttClient subscriber = subscriber(uri, received);
        int last = -1;
        while (received.get() != last) {
            last = received.get();
            Thread.sleep(2_000);
        }
        System.out.printf("drain: %d delivered%n", received.get());
        subscriber.disconnect();
        subscriber.close();
    }

    private static MqttClient subscriber(String uri, AtomicInteger received) throws Exception {
        MqttClient client = new MqttClient(uri, SUBSCRIBER, new MemoryPersistence());
        client.setCallback(new MqttCallback() {
            @Override
            public void messageArrived(String topic, MqttMessage message) {
                received.incrementAndGet();
            }

            @Override
            public void connectionLost(Throwable cause) {
            }

            @Override
            public void deliveryComplete(IMqttDeliveryToken token) {
            }
        });
        client.connect(options(false));
        return client;
    }

    /** Publishes from {@code publishers} clients at once; returns how many messages were acknowledged. */
    private static int publish(String uri, int messages) throws Exception {
        ExecutorService threads = Executors.newFixedThreadPool(publishers);
        List<Future<Integer>> results = new ArrayList<>();
        for (int i = 0; i < publishers; i++) {
            String clientId = publishers == 1 ? "measure-pub" : "measure-pub-" + i;
            int share = messages / publishers + (i < messages % publishers ? 1 : 0);
            results.add(threads.submit(() -> publishOne(uri, clientId, share)));
        }
        int acked = 0;
        for (Future<Integer> r : results) {
            acked += r.get();
        }
        threads.shutdown();
        return acked;
    }

    /** Publishes with up to {@code window} messages awaiting PUBACK; returns how many were acknowledged. */
    private static int publishOne(String uri, String clientId, int messages) throws Exception {
        MqttAsyncClient publisher = new MqttAsyncClient(uri, clientId, new MemoryPersistence());
        publisher.connect(options(true)).waitForCompletion(10_000);
        Semaphore window = new Semaphore(Qos1Measure.window);
        AtomicInteger acked = new AtomicInteger();
        IMqttActionListener onAck = new IMqttActionListener() {
            @Override
            public void onSuccess(IMqttToken token) {
                acked.incrementAndGet();
                window.release();
            }

            @Override
            public void onFailure(IMqttToken token, Throwable cause) {
                window.release();
            }
        };
        for (int i = 0; i < messages; i++) {
            window.acquire();
            publisher.publish(TOPIC, PAYLOAD, 1, false, null, onAck);
        }
        window.acquire(Qos1Measure.window);
        publisher.disconnect().waitForCompletion(10_000);
        publisher.close();
        return acked.get();
    }

    private static MqttConnectOptions options(boolean cleanSession) {
        MqttConnectOptions o = new MqttConnectOptions();
        o.setCleanSession(cleanSession);
        o.setMaxInflight(window);
        o.setConnectionTimeout(10);
        return o;
    }
}
