package org.wrenmq.it.appserver;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import jakarta.ejb.EJB;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import org.jboss.arquillian.container.test.api.OperateOnDeployment;
import org.jboss.arquillian.junit5.ArquillianExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.wrenmq.api.MqttMessage;
import org.wrenmq.api.UserProperty;
import org.wrenmq.it.appserver.beans.Point;
import org.wrenmq.it.appserver.beans.Publisher;
import org.wrenmq.it.appserver.beans.Received;
import org.wrenmq.it.appserver.tools.MosquittoClients;

/**
 * What the adapter promises, whichever broker it uses: each test runs inside the server, against the beans of
 * the test application ({@code beans} package). Subclasses choose the broker.
 */
@ExtendWith(ArquillianExtension.class)
abstract class AdapterContract {

    static final String APP = "app";
    static final Duration DELIVERY = Duration.ofSeconds(30);

    @EJB
    Publisher publisher;

    @EJB
    Received received;

    private static List<String> payloads(List<MqttMessage> messages) {
        return messages.stream().map(MqttMessage::payloadAsString).toList();
    }

    List<String> payloadsOn(String topicPrefix) {
        return payloads(received.onTopicsStartingWith(topicPrefix));
    }

    @Test
    @OperateOnDeployment(APP)
    void messageFromAnEjbReachesAMessageDrivenBean() throws Exception {
        publisher.publish("it/basic/ejb", "hello from an EJB");

        await().atMost(DELIVERY).until(() -> payloadsOn("it/basic/ejb"), p -> p.contains("hello from an EJB"));
    }

    @Test
    @OperateOnDeployment(APP)
    void messageFromMosquittoPubOutsideReachesAMessageDrivenBean() {
        new MosquittoClients(TestSettings.mqttPort()).publish("it/basic/outside", "hello from mosquitto_pub", 1);

        await().atMost(DELIVERY).until(() -> payloadsOn("it/basic/outside"),
                p -> p.contains("hello from mosquitto_pub"));
    }

    @Test
    @OperateOnDeployment(APP)
    void messageFromAnEjbReachesMosquittoSubOutside() {
        String got = new MosquittoClients(TestSettings.mqttPort()).receiveOne("it/out/#", DELIVERY, () -> {
            try {
                publisher.publish("it/out/ejb", "hello mosquitto_sub");
            } catch (Exception e) {
                throw new AssertionError(e);
            }
        });

        assertThat(got).isEqualTo("hello mosquitto_sub");
    }

    @Test
    @OperateOnDeployment(APP)
    void rolledBackTransactionPublishesNothing() throws Exception {
        publisher.publishAndRollBack("it/basic/tx", "rolled back");
        publisher.publish("it/basic/tx", "committed");

        await().atMost(DELIVERY).until(() -> payloadsOn("it/basic/tx"), p -> p.contains("committed"));
        assertThat(payloadsOn("it/basic/tx")).containsExactly("committed");
    }

    @Test
    @OperateOnDeployment(APP)
    void beanThatThrowsGetsTheMessageAgain() throws Exception {
        publisher.publish("it/flaky/one", "flaky-1");

        await().atMost(DELIVERY).until(() -> payloadsOn("it/flaky/one"), p -> p.contains("flaky-1"));
        assertThat(received.attempts("flaky-1")).isEqualTo(2);
        assertThat(payloadsOn("wrenmq/dead-letter/it/flaky")).isEmpty();
    }

    @Test
    @OperateOnDeployment(APP)
    void beanWhoseTransactionRollsBackGetsTheMessageAgain() throws Exception {
        publisher.publish("it/rollback-only/one", "rollback-1");

        await().atMost(DELIVERY).until(() -> payloadsOn("it/rollback-only/one"), p -> p.contains("rollback-1"));
        assertThat(received.attempts("rollback-1")).isEqualTo(2);
    }

    @Test
    @OperateOnDeployment(APP)
    void messageThatAlwaysFailsIsDeadLetteredAfterMaxRedeliveries() throws Exception {
        publisher.publish("it/fail/one", "doomed-1");

        await().atMost(DELIVERY).until(() -> received.onTopicsStartingWith("wrenmq/dead-letter/it/fail/one"),
                letters -> !letters.isEmpty());
        MqttMessage letter = received.onTopicsStartingWith("wrenmq/dead-letter/it/fail/one").get(0);
        assertThat(letter.payloadAsString()).isEqualTo("doomed-1");
        assertThat(received.attempts("doomed-1")).as("first delivery + maxRedeliveries=2").isEqualTo(3);
        assertThat(letter.userProperties()).contains(new UserProperty("wrenmq-original-topic", "it/fail/one"),
                new UserProperty("wrenmq-deliveries", "3"));
        assertThat(letter.userProperties()).anyMatch(p -> p.name().equals("wrenmq-error")
                && p.value().contains("always fails on purpose"));
    }

    @Test
    @OperateOnDeployment(APP)
    void objectPublishedAsJsonComesBackAsTheSameObject() throws Exception {
        Point point = new Point("origin", 3, -4);

        publisher.publishJson("it/json/point", point);

        await().atMost(DELIVERY).until(() -> received.objects(), objects -> objects.contains(point));
        assertThat(received.onTopicsStartingWith("it/json/point").get(0).contentType()).contains("application/json");
    }

    @Test
    @OperateOnDeployment(APP)
    void thousandMessagesUnderLoadAllArriveWithoutExhaustingASmallBeanPool() throws Exception {
        int count = 1000;
        long start = System.nanoTime();

        publisher.publishMany("it/load", count);

        await().atMost(Duration.ofSeconds(120)).until(() -> distinctPayloadsOn("it/load").size(),
                n -> n == count);
        long millis = (System.nanoTime() - start) / 1_000_000;
        System.out.printf("WRENMQ-IT %s: %d messages published and delivered in %d ms, at most %d beans at once%n",
                getClass().getSimpleName(), count, millis, received.mostRunningAtOnce());
        assertThat(received.mostRunningAtOnce()).as("maxConcurrency of LoadListener").isBetween(1, 2);
    }

    private Set<String> distinctPayloadsOn(String prefix) {
        return received.onTopicsStartingWith(prefix).stream().map(MqttMessage::payloadAsString)
                .collect(Collectors.toSet());
    }
}
