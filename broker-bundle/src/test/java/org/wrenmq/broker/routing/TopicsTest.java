package org.wrenmq.broker.routing;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** Topic names, topic filters and their matching (MQTT 3.1.1 / 5 section 4.7). */
class TopicsTest {

    @Test
    void levelsKeepEmptyLevels() {
        assertThat(Topics.levels("a/b")).containsExactly("a", "b");
        assertThat(Topics.levels("/a/")).containsExactly("", "a", "");
        assertThat(Topics.levels("")).containsExactly("");
    }

    @Test
    void topicNamesMayNotBeEmptyNorHoldWildcards() {
        assertThat(Topics.topicNameError("a/b")).isNull();
        assertThat(Topics.topicNameError("")).contains("[MQTT-4.7.3-1]");
        assertThat(Topics.topicNameError("a/+")).contains("[MQTT-3.3.2-2]");
        assertThat(Topics.topicNameError("a/#")).contains("[MQTT-3.3.2-2]");
        assertThat(Topics.topicNameError("x".repeat(65_536))).contains("65535");
    }

    @Test
    void wildcardsMustFillTheirLevelAndHashMustBeLast() {
        assertThat(Topics.topicFilterError("a/+/#")).isNull();
        assertThat(Topics.topicFilterError("#")).isNull();
        assertThat(Topics.topicFilterError("a/#/b")).contains("[MQTT-4.7.1-2]");
        assertThat(Topics.topicFilterError("a#")).contains("[MQTT-4.7.1-2]");
        assertThat(Topics.topicFilterError("a+/b")).contains("[MQTT-4.7.1-3]");
        assertThat(Topics.topicFilterError("")).contains("[MQTT-4.7.3-1]");
    }

    @Test
    void hashMatchesTheParentLevelAndEverythingBelow() {
        assertThat(Topics.matches("sport/#", "sport")).isTrue();
        assertThat(Topics.matches("sport/#", "sport/tennis/player1")).isTrue();
        assertThat(Topics.matches("sport/#", "sports")).isFalse();
    }

    @Test
    void plusMatchesExactlyOneLevelEvenAnEmptyOne() {
        assertThat(Topics.matches("sport/+", "sport/")).isTrue();
        assertThat(Topics.matches("sport/+", "sport")).isFalse();
        assertThat(Topics.matches("+/+", "/finance")).isTrue();
        assertThat(Topics.matches("+", "/finance")).isFalse();
    }

    /** [MQTT-4.7.2-1]: a filter starting with a wildcard does not match topics starting with '$'. */
    @Test
    void leadingWildcardsDoNotMatchDollarTopics() {
        assertThat(Topics.matches("#", "$SYS/broker")).isFalse();
        assertThat(Topics.matches("+/broker", "$SYS/broker")).isFalse();
        assertThat(Topics.matches("$SYS/#", "$SYS/broker")).isTrue();
    }

    @Test
    void sharedSubscriptionsAreRecognisedByTheirPrefix() {
        assertThat(Topics.isShared("$share/g/a/b")).isTrue();
        assertThat(SharedFilter.parse("$share/g/a/b")).isEqualTo(new SharedFilter("g", "a/b"));
        assertThat(Topics.isShared("$shared/g/a")).isFalse();
    }
}
