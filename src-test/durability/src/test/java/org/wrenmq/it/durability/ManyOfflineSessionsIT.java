package org.wrenmq.it.durability;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;
import static org.awaitility.Awaitility.await;

import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.eclipse.paho.client.mqttv3.MqttClient;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.wrenmq.api.MqttMessage;
import org.wrenmq.api.QoS;
import org.wrenmq.broker.Broker;

/**
 * 100,000 offline persistent sessions, each with messages queued, on a durable broker in this JVM (Failsafe gives it
 * -Xmx512m; a process per session would take minutes to set up): {@code max_queued_messages_total} caps what is
 * queued across them, the refused deliveries show up in {@code messages.dropped.queue_full}, and the heap holds,
 * so a fresh network client is served promptly.
 */
@DisplayName("100,000 offline persistent sessions with queued messages")
class ManyOfflineSessionsIT {
    private static final int SESSIONS = 100_000;
    private static final int MESSAGES = 5;
    private static final long MAX_TOTAL = 200_000;
    private static final String TOPIC = "fleet/all";

    @TempDir
    Path dir;

    private Broker broker;
    private MqttClient fresh;

    @AfterEach
    void cleanUp() {
        PahoClients.closeQuietly(fresh);
        if (broker != null) {
            broker.close();
        }
    }

    @Test
    @Timeout(value = 90, unit = TimeUnit.SECONDS)
    @DisplayName("the total cap holds, drops are counted, and a fresh client is served promptly")
    void boundedByMaxQueuedMessagesTotal() throws Exception {
        broker = Broker.builder().set("persistence_location", dir.resolve("data").toString())
                .set("allow_anonymous", "true")
                .set("max_queued_messages_total", Long.toString(MAX_TOTAL))
                .listener(0, "127.0.0.1").build().start();
        for (int i = 0; i < SESSIONS; i++) {
            try (var session = broker.openLocalSession("offline-" + i, false, 10, (m, ack) -> ack.accept())) {
                session.subscribe(TOPIC, QoS.AT_LEAST_ONCE);
            }
        }
        // subscribing runs on the sessions' event loops: publish once every subscription is in the tree
        await().atMost(Duration.ofSeconds(30)).until(() -> broker.subscriptions().size() == SESSIONS);
        byte[] payload = new byte[1024];
        for (int m = 0; m < MESSAGES; m++) {
            broker.publish(MqttMessage.builder(TOPIC).payload(payload).qos(QoS.AT_LEAST_ONCE).build())
                    .toCompletableFuture().get(30, TimeUnit.SECONDS);
        }

        long attempted = (long) SESSIONS * MESSAGES;
        // deliveries reach the sessions on the event loops after publish() returns; the two loops check the shared
        // total concurrently, so each may overshoot it by one
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> assertThat(dropped())
                .isCloseTo(attempted - MAX_TOTAL, within(2L)));
        long started = System.nanoTime();
        Inbox inbox = new Inbox();
        fresh = PahoClients.connect("tcp://127.0.0.1:" + broker.port(), "fresh", true, inbox);
        fresh.subscribe("fresh/echo", 1);
        fresh.publish("fresh/echo", "hello".getBytes(), 1, false);
        await().atMost(Duration.ofSeconds(5)).until(() -> inbox.count("hello") == 1);
        Duration roundTrip = Duration.ofNanos(System.nanoTime() - started);
        assertThat(roundTrip).as("connect, subscribe, publish and receive for a fresh client")
                .isLessThan(Duration.ofSeconds(2));
    }

    private long dropped() {
        return broker.counters().get("messages.dropped.queue_full");
    }
}
