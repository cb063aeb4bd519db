package org.wrenmq.broker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The settings under mosquitto's names, from a file or a map: defaults, checks, and errors that say where. */
class BrokerConfigTest {
    @TempDir
    Path dir;

    @Test
    void withoutSettingsTheDefaultsApply() {
        BrokerConfig c = BrokerConfig.builder().build();

        assertThat(c.listeners()).containsExactly(ListenerConfig.LOCAL_DEFAULT);
        assertThat(c.allowAnonymous()).as("only on the loopback default").isTrue();
        assertThat(c.maxInflightMessages()).isEqualTo(BrokerConfig.DEFAULT_MAX_INFLIGHT_MESSAGES);
        assertThat(c.maxQueuedMessages()).isEqualTo(BrokerConfig.DEFAULT_MAX_QUEUED_MESSAGES);
        assertThat(c.maxQos()).isEqualTo(2);
        assertThat(c.retainAvailable()).isTrue();
    }

    @Test
    void aConfiguredListenerTurnsAnonymousAccessOff() {
        BrokerConfig c = BrokerConfig.builder().set("listener", "1884 0.0.0.0").build();

        assertThat(c.allowAnonymous()).isFalse();
        assertThat(c.listeners()).containsExactly(new ListenerConfig(1884, "0.0.0.0"));
    }

    @Test
    void aFileIsReadWithCommentsAndBlankLines() throws IOException {
        Path conf = write("# a comment\n\nlistener 1885\nmax_qos 1\n  allow_anonymous true\n");

        BrokerConfig c = BrokerConfig.parse(conf);

        assertThat(c.listeners()).containsExactly(new ListenerConfig(1885, null));
        assertThat(c.maxQos()).isEqualTo(1);
        assertThat(c.allowAnonymous()).isTrue();
    }

    @Test
    void aBadLineIsReportedWithFileAndLine() throws IOException {
        Path conf = write("listener 1885\nmax_qos 3\n");

        assertThatThrownBy(() -> BrokerConfig.parse(conf)).isInstanceOf(ConfigException.class)
                .hasMessage(conf + ":2: max_qos must be between 0 and 2, not 3");
    }

    @Test
    void unknownKeysAndBadValuesSayWhatIsWrong() {
        assertThatThrownBy(() -> BrokerConfig.builder().set("no_such_key", "1"))
                .hasMessage("unknown setting 'no_such_key'");
        assertThatThrownBy(() -> BrokerConfig.builder().set("allow_anonymous", "yes"))
                .hasMessage("allow_anonymous must be true or false, not 'yes'");
        assertThatThrownBy(() -> BrokerConfig.builder().set("max_inflight_messages", "many"))
                .hasMessage("max_inflight_messages must be a whole number, not 'many'");
    }

    @Test
    void aMapIgnoresFrameworkKeysAndBlankValues() {
        BrokerConfig c = BrokerConfig.fromMap(Map.of("max_qos", "1", "felix.fileinstall.filename", "x",
                "component.name", "y", "message_size_limit", " "));

        assertThat(c.maxQos()).isEqualTo(1);
        assertThat(c.messageSizeLimit()).isEqualTo(BrokerConfig.builder().build().messageSizeLimit());
    }

    private Path write(String text) throws IOException {
        Path conf = dir.resolve("wrenmq.conf");
        Files.writeString(conf, text);
        return conf;
    }
}
