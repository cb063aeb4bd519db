package org.wrenmq.broker.metrics;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.eclipse.paho.client.mqttv3.MqttClient;
import org.eclipse.paho.client.mqttv3.persist.MemoryPersistence;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.wrenmq.broker.Broker;

/** {@code $SYS/broker/...} carries mosquitto's topic names (see mosquitto(8), "Broker Status"), read by a real client. */
class SysTreeTests {
    private Broker broker;
    private MqttClient client;

    @AfterEach
    void stop() throws Exception {
        if (client != null) {
            client.disconnect();
            client.close();
        }
        broker.close();
    }

    @Test
    void mosquittosSysTopicsAreThereWithTheirMeaning() throws Exception {
        broker = Broker.builder().listener(0, "127.0.0.1").set("allow_anonymous", "true")
                .set("persistence", "false").set("sys_interval", "1").build().start();
        Map<String, String> sys = new ConcurrentHashMap<>();
        client = new MqttClient("tcp://127.0.0.1:" + broker.port(), "watcher", new MemoryPersistence());
        client.connect();
        client.subscribe("$SYS/broker/#", 0, (topic, m) -> sys.put(topic.substring("$SYS/broker/".length()),
                new String(m.getPayload())));
        client.publish("plant/a", "1".getBytes(), 1, true);
        client.publish("plant/b", "2".getBytes(), 1, false);
        client.publish("plant/c", "3".getBytes(), 1, false);

        await().atMost(Duration.ofSeconds(15)).untilAsserted(() -> {
            assertThat(sys).containsEntry("publish/messages/received", "3")
                    .containsEntry("clients/connected", "1")
                    .containsEntry("clients/total", "1")
                    .containsEntry("clients/disconnected", "0")
                    .containsEntry("clients/maximum", "1")
                    .containsEntry("clients/expired", "0")
                    .containsEntry("publish/messages/dropped", "0")
                    .containsEntry("subscriptions/count", "1");
            assertThat(sys.get("load/publish/received/1min")).as("3 per minute decaying: the first minute's average")
                    .matches("[0-9]+\\.[0-9]{2}").isNotEqualTo("0.00");
        });
        assertThat(Long.parseLong(sys.get("publish/messages/sent"))).as("the $SYS updates the watcher got")
                .isGreaterThan(0);
        long retained = Long.parseLong(sys.get("retained messages/count"));
        assertThat(retained).isGreaterThan(1);
        assertThat(sys.get("store/messages/count")).isEqualTo(String.valueOf(retained)).isEqualTo(sys.get("messages/stored"));
        assertThat(sys).containsKeys("uptime", "version", "bytes/received", "bytes/sent", "heap/current", "heap/maximum",
                "load/messages/received/5min", "load/messages/sent/15min", "load/publish/dropped/1min",
                "load/bytes/received/1min", "load/bytes/sent/5min", "load/connections/15min",
                "load/sockets/1min", "load/sockets/15min", "publish/bytes/sent", "store/messages/bytes");
        assertThat(sys).as("payload bytes of the three PUBLISH packets").containsEntry("publish/bytes/received", "3");
        assertThat(Long.parseLong(sys.get("heap/maximum"))).isGreaterThanOrEqualTo(Long.parseLong(sys.get("heap/current")) / 2);
    }
}
