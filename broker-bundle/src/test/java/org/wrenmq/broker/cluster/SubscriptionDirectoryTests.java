package org.wrenmq.broker.cluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.wrenmq.broker.mqtt5.Paho5;

/**
 * The subscription directory ({@link SubscriptionDirectory}) as the other nodes follow it: here the second reading
 * of the whole directory a node makes after another joined, which reads each entry a moment before taking it in.
 */
@Timeout(120)
@DisplayName("the subscription directory")
class SubscriptionDirectoryTests {
    private static final Duration PATIENCE = Duration.ofSeconds(30);

    @Test
    @DisplayName("a node reading the directory again after a join does not take back a filter removed between its "
            + "reading and its taking in: messages no longer cross to a node without a subscriber")
    void readingAgainDoesNotTakeBackARemovedFilter() throws Exception {
        try (ThreeNodes cluster = new ThreeNodes("directory-read-again", 2, (node, builder) -> builder);
             NodeClients clients = new NodeClients(() -> cluster)) {
            Paho5 subscriber = clients.paho(1, "subscriber").subscribe("readings/#", 1);
            await().atMost(PATIENCE).until(() -> remoteFilters(cluster) == 1);
            Object reading = HeldEvents.directoryReading(cluster.memberId(0));
            HeldEvents.hold(reading);
            try {
                cluster.join(); // node 1 reads the directory again 2 s after, and its taking in waits here
                await().atMost(PATIENCE).until(() -> HeldEvents.held(reading) >= 1);
                subscriber.disconnect(); // clean start: its filter leaves the directory
                await().atMost(PATIENCE).until(() -> remoteFilters(cluster) == 0);
            } finally {
                HeldEvents.release(reading);
            }
            assertThat(remoteFilters(cluster)).as("other nodes' filters node 1 matches its messages against")
                    .isZero();
        }
    }

    private static long remoteFilters(ThreeNodes cluster) {
        return cluster.counter(0, "cluster.subscriptions.remote_filters");
    }
}
