package org.wrenmq.it.durability;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The crash that loses every queued message with mosquitto: QoS 1/2 messages pile up for an offline persistent
 * subscriber, the broker gets SIGKILL while the publisher is still streaming, and after a restart the subscriber
 * must receive every message the publisher got a PUBACK/PUBCOMP for.
 */
@DisplayName("kill -9 while publishing to an offline persistent session")
class KillDuringPublishingIT extends BrokerProcessTest {
    /** More than the broker can take before the kill on any machine: the stream is cut, not finished. */
    private static final int MESSAGES = 20_000;
    /** The broker is killed once this many messages are acknowledged, with more still being published. */
    private static final int KILL_AFTER_ACKNOWLEDGED = 1_500;
    private static final int WINDOW = 100;

    @ParameterizedTest(name = "QoS {0}")
    @ValueSource(ints = {1, 2})
    @DisplayName("every acknowledged message is delivered after the restart (QoS 2: exactly once)")
    void acknowledgedMessagesSurviveKill(int qos) throws Exception {
        broker = new BrokerProcess(dir, "max_queued_messages " + MESSAGES).start();
        String topic = "crash/q" + qos;
        client = PahoClients.connect(broker.uri(), "offline-sub", false, null);
        client.subscribe(topic, qos);
        client.disconnect();
        client.close();

        Set<String> acknowledged;
        try (StreamPublisher publisher = new StreamPublisher(broker.uri(), "streamer", topic, qos, MESSAGES, WINDOW)) {
            publisher.begin();
            await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(10))
                    .until(() -> publisher.acknowledged().size() >= KILL_AFTER_ACKNOWLEDGED || publisher.finished());
            assertThat(publisher.finished()).as("publisher still streaming when the broker is killed").isFalse();
            broker.kill();
            publisher.stop();
            acknowledged = new TreeSet<>(publisher.acknowledged());
            assertThat(publisher.sent()).as("published past the kill point").isGreaterThan(acknowledged.size());
        }

        broker.start();
        Inbox inbox = new Inbox();
        client = PahoClients.create(broker.uri(), "offline-sub", inbox);
        boolean sessionPresent = PahoClients.connectAndCheckSession(client, false);

        assertThat(sessionPresent).as("persistent session restored after kill -9").isTrue();
        await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> assertThat(acknowledged)
                .as("acknowledged messages received after restart (%d acknowledged, %d distinct received)",
                        acknowledged.size(), inbox.distinct())
                .allMatch(p -> inbox.count(p) > 0));
        if (qos == 2) {
            // redeliveries, if any, would come right after the queue: watch a little longer
            await().during(Duration.ofSeconds(2)).atMost(Duration.ofSeconds(5))
                    .untilAsserted(() -> assertThat(inbox.duplicates()).as("QoS 2 messages received twice").isEmpty());
        }
    }
}
