package org.wrenmq.cdi;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class TopicFilterTest {

    @Test
    void plusMatchesExactlyOneLevel() {
        TopicFilter filter = TopicFilter.parse("sensors/+/temperature");

        assertThat(filter.matches("sensors/hall/temperature")).isTrue();
        assertThat(filter.matches("sensors/hall/humidity")).isFalse();
        assertThat(filter.matches("sensors/hall/cellar/temperature")).isFalse();
        assertThat(filter.matches("sensors//temperature")).as("an empty level is a level").isTrue();
    }

    @Test
    void hashMatchesTheRestAndTheParentLevel() {
        TopicFilter filter = TopicFilter.parse("sensors/#");

        assertThat(filter.matches("sensors")).as("[MQTT-4.7.1-2] the parent").isTrue();
        assertThat(filter.matches("sensors/hall/temperature")).isTrue();
        assertThat(filter.matches("actuators/hall")).isFalse();
    }

    @Test
    void exactFilterMatchesOnlyItsTopic() {
        TopicFilter filter = TopicFilter.parse("a/b");

        assertThat(filter.matches("a/b")).isTrue();
        assertThat(filter.matches("a/b/c")).isFalse();
        assertThat(filter.matches("a")).isFalse();
    }

    @Test
    void wildcardsAtTheFirstLevelDoNotMatchDollarTopics() {
        assertThat(TopicFilter.parse("#").matches("$SYS/broker/uptime")).as("[MQTT-4.7.2-1]").isFalse();
        assertThat(TopicFilter.parse("+/broker/uptime").matches("$SYS/broker/uptime")).isFalse();
        assertThat(TopicFilter.parse("$SYS/#").matches("$SYS/broker/uptime")).isTrue();
    }

    @Test
    void invalidFiltersAreRefusedWithTheirText() {
        assertThatThrownBy(() -> TopicFilter.parse("a/#/b")).hasMessageContaining("'a/#/b'");
        assertThatThrownBy(() -> TopicFilter.parse("a/b+")).hasMessageContaining("'a/b+'");
        assertThatThrownBy(() -> TopicFilter.parse("")).hasMessageContaining("''");
    }
}
