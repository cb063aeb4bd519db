package org.wrenmq.broker;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.wrenmq.api.MqttMessage;
import org.wrenmq.api.MqttPublishException;
import org.wrenmq.api.QoS;

/** An in-VM publisher passes the same checks as a network client (routing/PublishCheck). */
class InVmPublishTest {

    @Test
    void aQosAboveMaxQosIsRefusedWithReasonCode0x9B() throws Exception {
        try (Broker broker = start("max_qos", "1")) {
            Throwable refused = failure(broker.publish(MqttMessage.builder("a/b").payload(new byte[] {1})
                    .qos(QoS.EXACTLY_ONCE).build()));

            assertThat(refused).isInstanceOf(MqttPublishException.class).hasMessageContaining("max_qos 1");
            assertThat(((MqttPublishException) refused).reasonCode()).isEqualTo(0x9B);
            assertThat(broker.counters()).containsEntry("messages.refused.max_qos", 1L);
        }
    }

    @Test
    void aRetainedMessageIsRefusedWhenRetainIsNotAvailable() throws Exception {
        try (Broker broker = start("retain_available", "false")) {
            Throwable refused = failure(broker.publish(MqttMessage.builder("a/b").payload(new byte[] {1})
                    .retain(true).build()));

            assertThat(((MqttPublishException) refused).reasonCode()).isEqualTo(0x9A);
        }
    }

    @Test
    void jsonIsWrittenByJsonBOnAPlainClassPath() throws Exception {
        try (Broker broker = start("max_qos", "2")) {
            CompletableFuture<String> got = new CompletableFuture<>();
            broker.openLocalSession("reader", true, 10, (m, ack) -> {
                got.complete(new String(m.payload(), StandardCharsets.UTF_8));
                ack.accept();
            }).subscribe("json/t", QoS.AT_MOST_ONCE);

            broker.publishJson("json/t", new Reading("t1", 21), QoS.AT_MOST_ONCE).toCompletableFuture()
                    .get(10, TimeUnit.SECONDS);

            assertThat(got.get(10, TimeUnit.SECONDS)).isEqualTo("{\"sensor\":\"t1\",\"value\":21}");
        }
    }

    public record Reading(String sensor, int value) {
    }

    private static Broker start(String key, String value) {
        return Broker.builder().listener(0, "127.0.0.1").set("allow_anonymous", "true").set("persistence", "false")
                .set(key, value).build().start();
    }

    private static Throwable failure(java.util.concurrent.CompletionStage<Void> stage) throws InterruptedException {
        try {
            stage.toCompletableFuture().get(10, TimeUnit.SECONDS);
            throw new AssertionError("the publication was accepted");
        } catch (ExecutionException e) {
            return e.getCause();
        } catch (java.util.concurrent.TimeoutException e) {
            throw new AssertionError(e);
        }
    }
}
