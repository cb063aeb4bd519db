package org.wrenmq.broker.routing;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.wrenmq.api.QoS;
import org.wrenmq.broker.message.Publication;
import org.wrenmq.broker.testing.ManualClock;

class RetainedTreeTest {
    private final ManualClock clock = new ManualClock();
    private final RetainedTree tree = new RetainedTree(clock);

    @Test
    void aFilterFindsEveryRetainedMessageItMatches() {
        put("home/kitchen/temp", "21");
        put("home/hall/temp", "19");
        put("home/kitchen", "on");

        assertThat(topics("home/+/temp")).containsExactlyInAnyOrder("home/kitchen/temp", "home/hall/temp");
        assertThat(topics("home/#")).hasSize(3);
        assertThat(topics("home/kitchen/temp")).containsExactly("home/kitchen/temp");
        assertThat(tree.size()).isEqualTo(3);
    }

    /** [MQTT-3.3.1-10] [MQTT-3.3.1-11]: an empty retained message clears the topic and is not kept. */
    @Test
    void anEmptyPayloadClearsTheTopic() {
        put("a/b", "x");

        put("a/b", "");

        assertThat(topics("#")).isEmpty();
        assertThat(tree.size()).isZero();
    }

    @Test
    void aNewMessageReplacesTheOldOneOnItsTopic() {
        put("a", "old");
        put("a", "new");

        List<Publication> got = new ArrayList<>();
        tree.match("a", got::add);
        assertThat(got).extracting(p -> new String(p.payload(), StandardCharsets.UTF_8)).containsExactly("new");
    }

    /** [MQTT-4.7.2-1]: '$' topics are not matched by a leading wildcard. */
    @Test
    void dollarTopicsNeedALiteralFirstLevel() {
        put("$SYS/broker/uptime", "1");

        assertThat(topics("#")).isEmpty();
        assertThat(topics("+/broker/uptime")).isEmpty();
        assertThat(topics("$SYS/#")).containsExactly("$SYS/broker/uptime");
    }

    /** [MQTT-3.3.2-5]: an expired retained message is no longer sent. */
    @Test
    void expiredMessagesAreNotFound() {
        tree.put(new Publication("t", "x".getBytes(StandardCharsets.UTF_8), QoS.AT_MOST_ONCE, true, null, null, null,
                null, List.of(), clock.millis() + 1000, null));

        assertThat(topics("t")).hasSize(1);
        clock.advance(Duration.ofMillis(1001));
        assertThat(topics("t")).isEmpty();
    }

    private void put(String topic, String payload) {
        tree.put(Publication.simple(topic, payload.getBytes(StandardCharsets.UTF_8), QoS.AT_MOST_ONCE, true, null));
    }

    private List<String> topics(String filter) {
        List<String> out = new ArrayList<>();
        tree.match(filter, p -> out.add(p.topic()));
        return out;
    }
}
