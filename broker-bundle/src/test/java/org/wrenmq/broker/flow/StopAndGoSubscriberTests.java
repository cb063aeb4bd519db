package org.wrenmq.broker.flow;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.eclipse.paho.client.mqttv3.MqttClient;
import org.eclipse.paho.client.mqttv3.MqttException;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.wrenmq.broker.conformance.Packet;
import org.wrenmq.broker.conformance.Packets;
import org.wrenmq.broker.conformance.RawClient;
import org.wrenmq.broker.testing.PacketType;

/**
 * A subscriber that reads in spurts, as a device on a poor link does: it reads a while, then stops until the
 * broker has had to queue for it (its socket and the broker's write buffer full), then reads again, over and over,
 * while eight Paho publishers keep publishing. Each stop turns the connection unwritable and each resumption
 * writable again, so the broker's drain has to restart many times on its own; every message must still arrive,
 * in each publisher's order [MQTT-4.6.0-5]. The subscriber is a bare socket, so nothing in a client library
 * buffers or reorders on its side. No timing is asserted: the waits are bounds for a broken broker.
 */
class StopAndGoSubscriberTests {
    private static final int PUBLISHERS = 8;
    /** 8 x 6,000 x 270 B = 13 MB: several times what the sockets and the write buffer hold. */
    private static final int MESSAGES_EACH = 6_000;
    private static final int READ_BETWEEN_STOPS = 3_000;
    private static final Duration PATIENCE = Duration.ofSeconds(60);

    @RegisterExtension
    final FanInDeliveryTests.FanInBroker broker = new FanInDeliveryTests.FanInBroker();

    @ParameterizedTest(name = "io_threads {0}")
    @ValueSource(strings = {"1", "2"})
    void aSubscriberThatKeepsStoppingAndResumingGetsEveryMessageInOrder(String ioThreads) throws Exception {
        broker.set("io_threads", ioThreads);
        RawClient subscriber = RawClient.open(broker.port())
                .connectAccepted(Packets.connect("stop-and-go").keepAlive(0))
                .subscribe("devices/+/reading", 0);
        AtomicInteger publishersRunning = new AtomicInteger(PUBLISHERS);
        AtomicReference<Throwable> failure = new AtomicReference<>();
        List<Thread> publishers = startPublishers(publishersRunning, failure);

        int[] nextSeq = new int[PUBLISHERS];
        int received = 0;
        int stopsWithQueue = 0;
        while (received < PUBLISHERS * MESSAGES_EACH) {
            if (received > 0 && received % READ_BETWEEN_STOPS == 0 && waitUntilQueuedOrDone(publishersRunning)) {
                stopsWithQueue++;
            }
            Packet p = subscriber.poll(PATIENCE).orElseThrow(() -> new AssertionError(
                    "no PUBLISH within " + PATIENCE + " while the broker holds "
                            + queued() + " queued messages"));
            assertThat(p.type()).isEqualTo(PacketType.PUBLISH);
            ByteBuffer payload = ByteBuffer.wrap(p.body(), 2 + p.u16(0), 8);
            int publisher = payload.getInt();
            int seq = payload.getInt();
            assertThat(seq).as("next message of publisher %d", publisher).isEqualTo(nextSeq[publisher]);
            nextSeq[publisher] = seq + 1;
            received++;
        }
        for (Thread t : publishers) {
            t.join(PATIENCE.toMillis());
        }
        assertThat(failure.get()).as("publish failure").isNull();
        assertThat(stopsWithQueue).as("stops during which the broker queued").isPositive();
        assertThat(broker.broker().counters().get("messages.dropped.queue_full")).isZero();
    }

    /** Stops reading until the broker queues for this subscriber; false if the publishers finished first. */
    private boolean waitUntilQueuedOrDone(AtomicInteger publishersRunning) {
        await().atMost(PATIENCE).pollInterval(Duration.ofMillis(5))
                .until(() -> queued() > 0 || publishersRunning.get() == 0);
        return queued() > 0;
    }

    private long queued() {
        return broker.broker().counters().get("messages.queued");
    }

    private List<Thread> startPublishers(AtomicInteger running, AtomicReference<Throwable> failure)
            throws MqttException {
        List<Thread> threads = new ArrayList<>();
        for (int p = 0; p < PUBLISHERS; p++) {
            MqttClient client = broker.connected("device-" + p);
            int publisher = p;
            Thread t = new Thread(() -> {
                try {
                    byte[] payload = new byte[256];
                    for (int seq = 0; seq < MESSAGES_EACH; seq++) {
                        ByteBuffer.wrap(payload).putInt(publisher).putInt(seq);
                        client.publish("devices/" + publisher + "/reading", payload, 0, false);
                    }
                } catch (MqttException e) {
                    failure.compareAndSet(null, e);
                } finally {
                    running.decrementAndGet();
                }
            }, "publisher-" + p);
            threads.add(t);
            t.start();
        }
        return threads;
    }
}
