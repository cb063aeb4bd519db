package org.wrenmq.broker.bridge;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.wrenmq.broker.BridgeConfig.Direction;
import org.wrenmq.broker.BridgeConfig.Topic;

/** Prefixes as mosquitto applies them (lib/send_publish.c out, src/bridge_topic.c in). */
class TopicRemapTest {

    @Test
    void outRemovesTheLocalPrefixAndAddsTheRemoteOne() {
        TopicRemap r = new TopicRemap(List.of(new Topic("sensors/#", Direction.OUT, 1, "site/", "edge1/")));

        assertThat(r.toRemote("site/sensors/t1")).isEqualTo("edge1/sensors/t1");
    }

    @Test
    void inRemovesTheRemotePrefixAndAddsTheLocalOne() {
        TopicRemap r = new TopicRemap(List.of(new Topic("cmd/#", Direction.IN, 1, "", "edge1/")));

        assertThat(r.toLocal("edge1/cmd/valve")).isEqualTo("cmd/valve");
    }

    @Test
    void anEmptyPatternMakesThePrefixesTheWholeTopics() {
        TopicRemap r = new TopicRemap(List.of(new Topic(null, Direction.BOTH, 1, "local/state", "remote/state")));

        assertThat(r.toRemote("local/state")).isEqualTo("remote/state");
        assertThat(r.toLocal("remote/state")).isEqualTo("local/state");
    }

    @Test
    void theFirstMatchingLineOfTheDirectionDecidesAndOthersPassUnchanged() {
        TopicRemap r = new TopicRemap(List.of(
                new Topic("a/#", Direction.IN, 0, null, "in/"),
                new Topic("a/#", Direction.OUT, 0, null, "first/"),
                new Topic("a/b", Direction.OUT, 0, null, "second/"),
                new Topic("plain/#", Direction.BOTH, 0, null, null)));

        assertThat(r.toRemote("a/b")).isEqualTo("first/a/b");
        assertThat(r.toRemote("plain/x")).isEqualTo("plain/x");
        assertThat(r.toLocal("in/a/c")).isEqualTo("a/c");
    }
}
