package org.wrenmq.it.durability;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * Group commit under its heaviest use: eight publishers, each with a window of 100 QoS 1 messages, on two event
 * loops, so each commit carries many publishers' messages and its PUBACKs go out per event loop in one batch. The
 * broker gets SIGKILL the moment enough PUBACKs have arrived: every message a publisher got a PUBACK for must be
 * delivered after the restart.
 */
@DisplayName("kill -9 right after acknowledgements, 8 publishers with a window of 100")
class KillRightAfterAcknowledgementsIT extends BrokerProcessTest {
    private static final int PUBLISHERS = 8;
    private static final int MESSAGES_EACH = 5_000;
    private static final int KILL_AFTER_ACKNOWLEDGED = 2_000;
    private static final int WINDOW = 100;

    @Test
    @DisplayName("every acknowledged message of every publisher is delivered after the restart")
    void acknowledgedMessagesOfAllPublishersSurviveKill() throws Exception {
        broker = new BrokerProcess(dir, "max_queued_messages " + PUBLISHERS * MESSAGES_EACH, "io_threads 2").start();
        String topic = "crash/group";
        client = PahoClients.connect(broker.uri(), "group-sub", false, null);
        client.subscribe(topic, 1);
        client.disconnect();
        client.close();

        List<StreamPublisher> publishers = new ArrayList<>();
        Set<String> acknowledged = new TreeSet<>();
        try {
            for (int i = 0; i < PUBLISHERS; i++) {
                publishers.add(new StreamPublisher(broker.uri(), "group-pub-" + i, topic, 1, MESSAGES_EACH, WINDOW,
                        "p" + i + "-"));
            }
            publishers.forEach(StreamPublisher::begin);
            await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(1))
                    .until(() -> publishers.stream().mapToInt(p -> p.acknowledged().size()).sum()
                            >= KILL_AFTER_ACKNOWLEDGED);
            broker.kill();
            for (StreamPublisher p : publishers) {
                p.stop();
                acknowledged.addAll(p.acknowledged());
            }
        } finally {
            for (StreamPublisher p : publishers) {
                p.close();
            }
        }
        assertThat(publishers).as("publishers still streaming when the broker was killed")
                .anyMatch(p -> p.sent() > p.acknowledged().size());

        broker.start();
        Inbox inbox = new Inbox();
        client = PahoClients.create(broker.uri(), "group-sub", inbox);
        assertThat(PahoClients.connectAndCheckSession(client, false)).as("persistent session restored").isTrue();
        await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> assertThat(acknowledged)
                .as("acknowledged messages received after restart (%d acknowledged, %d distinct received)",
                        acknowledged.size(), inbox.distinct())
                .allMatch(p -> inbox.count(p) > 0));
    }
}
