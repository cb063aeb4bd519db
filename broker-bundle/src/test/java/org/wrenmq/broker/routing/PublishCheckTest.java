package org.wrenmq.broker.routing;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.wrenmq.broker.BrokerConfig;
import org.wrenmq.broker.metrics.BrokerMetrics;

/** The one check of incoming publications, shared by the network and in-VM paths. */
class PublishCheckTest {
    private final BrokerMetrics metrics = new BrokerMetrics();

    private PublishCheck check(String... settings) {
        BrokerConfig.Builder b = BrokerConfig.builder();
        for (int i = 0; i < settings.length; i += 2) {
            b.set(settings[i], settings[i + 1]);
        }
        return new PublishCheck(b.build(), metrics);
    }

    @Test
    void aGoodPublicationPasses() {
        assertThat(check().check("a/b", 2, true, 10)).isNull();
    }

    @Test
    void eachRuleHasItsReasonCode() {
        assertThat(check().check("a/+", 0, false, 1).reasonCode()).isEqualTo(0x90);
        assertThat(check("max_qos", "1").check("a", 2, false, 1).reasonCode()).isEqualTo(0x9B);
        assertThat(check("retain_available", "false").check("a", 0, true, 1).reasonCode()).isEqualTo(0x9A);
        assertThat(check("message_size_limit", "10").check("a", 0, false, 11).reasonCode()).isEqualTo(0x95);
    }

    @Test
    void refusalsByALimitAreCounted() {
        check("message_size_limit", "10").check("a", 0, false, 11);
        check("max_qos", "0").check("a", 1, false, 1);

        assertThat(metrics.snapshot()).containsEntry("messages.refused.message_size_limit", 1L)
                .containsEntry("messages.refused.max_qos", 1L);
    }

    @Test
    void theRefusalSaysWhichSettingRefused() {
        assertThat(check("max_qos", "1").check("a", 2, false, 1).why()).contains("max_qos 1", "[MQTT-3.2.2-11]");
        assertThat(check("message_size_limit", "10").check("a", 0, false, 11).why())
                .contains("message_size_limit 10");
    }
}
