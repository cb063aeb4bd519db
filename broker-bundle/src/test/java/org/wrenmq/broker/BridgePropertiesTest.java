package org.wrenmq.broker;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.HashMap;
import java.util.Map;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

/** Bridges in Karaf's etc/org.wrenmq.broker.cfg: {@code connection.NAME.topic.N} lines keep the numbers' order. */
class BridgePropertiesTest {

    @Test
    void numberedTopicsApplyInTheNumbersOrderPastNine() {
        Map<String, Object> cfg = new HashMap<>(Map.of("connection.cloud.address", "127.0.0.1:1883"));
        IntStream.rangeClosed(1, 12).forEach(n -> cfg.put("connection.cloud.topic." + n, "t" + n + "/# out"));

        BridgeConfig cloud = BrokerConfig.fromMap(cfg).bridges().get(0);

        assertThat(cloud.topics()).extracting(BridgeConfig.Topic::pattern).containsExactly("t1/#", "t2/#", "t3/#",
                "t4/#", "t5/#", "t6/#", "t7/#", "t8/#", "t9/#", "t10/#", "t11/#", "t12/#");
    }
}
