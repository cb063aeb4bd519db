package org.wrenmq.it.durability;

import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.eclipse.paho.client.mqttv3.IMqttActionListener;
import org.eclipse.paho.client.mqttv3.IMqttToken;
import org.eclipse.paho.client.mqttv3.MqttAsyncClient;
import org.eclipse.paho.client.mqttv3.MqttException;
import org.eclipse.paho.client.mqttv3.persist.MemoryPersistence;

/**
 * Publishes "0", "1", ... (after an optional prefix) on its own thread with up to {@code window} messages awaiting PUBACK/PUBCOMP, and records
 * which ones the broker acknowledged: the promise the broker made to the publisher. It runs until
 * {@link #stop()} or until the broker is gone.
 */
final class StreamPublisher implements AutoCloseable {
    private final MqttAsyncClient client;
    private final String topic;
    private final int qos;
    private final int count;
    private final String prefix;
    private final Semaphore window;
    private final Set<String> acknowledged = ConcurrentHashMap.newKeySet();
    private final AtomicInteger sent = new AtomicInteger();
    private final Thread thread;
    private volatile boolean stopped;

    StreamPublisher(String uri, String clientId, String topic, int qos, int count, int window) throws MqttException {
        this(uri, clientId, topic, qos, count, window, "");
    }

    /** Payloads are {@code prefix} followed by the message's number, so several publishers' messages differ. */
    StreamPublisher(String uri, String clientId, String topic, int qos, int count, int window, String prefix)
            throws MqttException {
        this.prefix = prefix;
        this.client = new MqttAsyncClient(uri, clientId, new MemoryPersistence());
        this.topic = topic;
        this.qos = qos;
        this.count = count;
        this.window = new Semaphore(window);
        client.connect(PahoClients.options(true)).waitForCompletion(10_000);
        this.thread = new Thread(this::publishAll, "stream-publisher-" + clientId);
    }

    StreamPublisher begin() {
        thread.start();
        return this;
    }

    private void publishAll() {
        IMqttActionListener onAck = new IMqttActionListener() {
            @Override
            public void onSuccess(IMqttToken token) {
                acknowledged.add((String) token.getUserContext());
                window.release();
            }

            @Override
            public void onFailure(IMqttToken token, Throwable cause) {
                window.release();
            }
        };
        for (int i = 0; i < count && !stopped; i++) {
            try {
                while (!window.tryAcquire(100, TimeUnit.MILLISECONDS)) {
                    if (stopped || !client.isConnected()) {
                        return;
                    }
                }
                String payload = prefix + i;
                client.publish(topic, payload.getBytes(), qos, false, payload, onAck);
                sent.incrementAndGet();
            } catch (MqttException e) {
                return; // the broker is gone: the stream ends here
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }

    /** Payloads the broker acknowledged (PUBACK for QoS 1, PUBCOMP for QoS 2). */
    Set<String> acknowledged() {
        return acknowledged;
    }

    int sent() {
        return sent.get();
    }

    boolean finished() {
        return !thread.isAlive();
    }

    void stop() throws InterruptedException {
        stopped = true;
        thread.join(15_000);
    }

    @Override
    public void close() throws InterruptedException {
        stop();
        try {
            client.disconnectForcibly(100, 100);
        } catch (MqttException e) {
            // already disconnected by the broker's death
        }
        try {
            client.close(true);
        } catch (MqttException e) {
            // nothing left to release
        }
    }
}
