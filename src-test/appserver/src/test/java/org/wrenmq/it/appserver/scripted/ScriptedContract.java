package org.wrenmq.it.appserver.scripted;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.wrenmq.it.appserver.scripted.Probe.Received;
import org.wrenmq.it.appserver.tools.MosquittoClients;
import org.wrenmq.it.support.Ports;

/**
 * The adapter's promises checked from outside a server that was set up as its docs page says: the test
 * application's EJB publishes through the probe servlet, its message-driven beans record what they get, and
 * mosquitto_pub/mosquitto_sub talk to the broker inside the server. The same checks as {@code CdiContract} (the
 * adapter's and CDI's), for servers the build does not drive through Arquillian. Subclasses start the server once for all tests.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
abstract class ScriptedContract {

    static final Duration DELIVERY = Duration.ofSeconds(30);
    private static final String READY = "ready";

    /** The broker's port inside the server, and the server's HTTP port for the probe: free ones, on 127.0.0.1. */
    final int mqttPort = Ports.free();
    final int httpPort = Ports.free();
    /** The server as {@link #startAsPrinted} started it. */
    ServerProcess server;

    @BeforeAll
    final void setUp() throws Exception {
        startAsPrinted();
        // a server may activate message endpoints after it reports the application started: a
        // message published before a bean subscribed reaches no one. Two of the beans, as a sample.
        awaitSubscribed("it/basic/ready");
        awaitSubscribed("it/load/ready");
    }

    private void awaitSubscribed(String topic) {
        await("a message-driven bean subscribed to " + topic).atMost(DELIVERY).pollInterval(Duration.ofMillis(500))
                .until(() -> {
                    probe().publish(topic, READY);
                    return probe().payloads(topic).contains(READY);
                });
    }

    @AfterAll
    final void tearDown() {
        stop();
    }

    /** Sets the server up as its page says and starts it; returns once the application is deployed. */
    abstract void startAsPrinted() throws Exception;

    /** Stops the server by process id. */
    final void stop() {
        if (server != null) {
            server.close();
        }
    }

    final Probe probe() {
        return new Probe(httpPort, TestApplication.CONTEXT_ROOT);
    }

    /** Where clients outside the server reach the broker inside it. */
    final int mqttPort() {
        return mqttPort;
    }

    @Test
    void messageFromAnEjbReachesAMessageDrivenBean() {
        probe().publish("it/basic/ejb", "hello from an EJB");

        await().atMost(DELIVERY).until(() -> probe().payloads("it/basic/ejb"), p -> p.contains("hello from an EJB"));
    }

    @Test
    void messageFromMosquittoPubOutsideReachesAMessageDrivenBean() {
        new MosquittoClients(mqttPort()).publish("it/basic/outside", "hello from mosquitto_pub", 1);

        await().atMost(DELIVERY).until(() -> probe().payloads("it/basic/outside"),
                p -> p.contains("hello from mosquitto_pub"));
    }

    @Test
    void messageFromAnEjbReachesMosquittoSubOutside() {
        String got = new MosquittoClients(mqttPort()).receiveOne("it/out/#", DELIVERY,
                () -> probe().publish("it/out/ejb", "hello mosquitto_sub"));

        assertThat(got).isEqualTo("hello mosquitto_sub");
    }

    @Test
    void rolledBackTransactionPublishesNothing() {
        probe().publishAndRollBack("it/basic/tx", "rolled back");
        probe().publish("it/basic/tx", "committed");

        await().atMost(DELIVERY).until(() -> probe().payloads("it/basic/tx"), p -> p.contains("committed"));
        assertThat(probe().payloads("it/basic/tx")).containsExactly("committed");
    }

    @Test
    void beanThatThrowsGetsTheMessageAgain() {
        probe().publish("it/flaky/one", "flaky-1");

        await().atMost(DELIVERY).until(() -> probe().payloads("it/flaky/one"), p -> p.contains("flaky-1"));
        assertThat(probe().attempts("flaky-1")).isEqualTo(2);
        assertThat(probe().payloads("wrenmq/dead-letter/it/flaky")).isEmpty();
    }

    @Test
    void beanWhoseTransactionRollsBackGetsTheMessageAgain() {
        probe().publish("it/rollback-only/one", "rollback-1");

        await().atMost(DELIVERY).until(() -> probe().payloads("it/rollback-only/one"),
                p -> p.contains("rollback-1"));
        assertThat(probe().attempts("rollback-1")).isEqualTo(2);
    }

    @Test
    void messageThatAlwaysFailsIsDeadLetteredAfterMaxRedeliveries() {
        probe().publish("it/fail/one", "doomed-1");

        await().atMost(DELIVERY).until(() -> probe().received("wrenmq/dead-letter/it/fail/one"),
                letters -> !letters.isEmpty());
        Received letter = probe().received("wrenmq/dead-letter/it/fail/one").get(0);
        assertThat(letter.payload()).isEqualTo("doomed-1");
        assertThat(probe().attempts("doomed-1")).as("first delivery + maxRedeliveries=2").isEqualTo(3);
        assertThat(letter.userProperties()).contains("wrenmq-original-topic=it/fail/one", "wrenmq-deliveries=3",
                "wrenmq-error=java.lang.IllegalStateException: always fails on purpose");
    }

    @Test
    void objectPublishedAsJsonComesBackAsTheSameObject() {
        probe().publishJson("it/json/point", "origin", 3, -4);

        await().atMost(DELIVERY).until(() -> probe().objects(), objects -> objects.contains("Point[origin, 3, -4]"));
        assertThat(probe().received("it/json/point").get(0).contentType()).isEqualTo("application/json");
    }

    @Test
    void injectedPublisherInACdiBeanPublishesWhenItsTransactionCommits() {
        probe().cdiPublish("it/basic/cdi/commit", "from a CDI bean");

        await().atMost(DELIVERY).until(() -> probe().payloads("it/basic/cdi/commit"),
                p -> p.contains("from a CDI bean"));
    }

    @Test
    void injectedPublisherPublishesNothingWhenTheTransactionRollsBack() {
        assertThat(probe().cdiPublishThenFail("it/basic/cdi/rollback", "rolled back"))
                .contains("fails after publishing, on purpose");
        probe().cdiPublish("it/basic/cdi/rollback", "committed");

        await().atMost(DELIVERY).until(() -> probe().payloads("it/basic/cdi/rollback"), p -> p.contains("committed"));
        assertThat(probe().payloads("it/basic/cdi/rollback")).containsExactly("committed");
    }

    @Test
    void qualifierChoosesTheFactoryByItsResourceReference() {
        probe().cdiPublishThrough(TestApplication.SECOND, "it/basic/cdi/second", "through mqtt/second");

        await().atMost(DELIVERY).until(() -> probe().payloads("it/basic/cdi/second"),
                p -> p.contains("through mqtt/second"));
        assertThat(probe().cdiPublishThroughFails("mqtt/missing", "it/basic/cdi/missing", "nowhere"))
                .contains("no MqttConnectionFactory at java:comp/env/mqtt/missing");
    }

    @Test
    void publishJsonFollowsTheApplicationsJsonb() {
        probe().cdiPublishJson("it/basic/cdi/json", "hall", 21.5);

        await().atMost(DELIVERY).until(() -> probe().received("it/basic/cdi/json"), m -> !m.isEmpty());
        Received message = probe().received("it/basic/cdi/json").get(0);
        assertThat(message.payload()).contains("\"sensor_name\":\"hall\"");
        assertThat(message.contentType()).isEqualTo("application/json");
    }

    @Test
    void observerMethodReceivesTheMessagesOfItsTopicFilterOnly() {
        probe().cdiPublishAll("it/cdi-events/rooms/hall/temperature", "it/cdi-events/rooms/hall/humidity",
                "it/cdi-events/rooms/cellar/temperature");

        await().atMost(DELIVERY).until(() -> probe().payloads("it/cdi-events/rooms/cellar"), p -> !p.isEmpty());
        assertThat(probe().received("it/cdi-events/rooms/")).extracting(Received::topic)
                .as("humidity does not match rooms/+/temperature; CdiEvents delivers one at a time, in order")
                .containsExactly("it/cdi-events/rooms/hall/temperature", "it/cdi-events/rooms/cellar/temperature");
    }

    @Test
    void observerThatThrowsGetsTheMessageAgain() {
        probe().cdiPublish("it/cdi-events/flaky", "observed twice");

        await().atMost(DELIVERY).until(() -> probe().payloads("it/cdi-events/flaky"),
                p -> p.contains("observed twice"));
        assertThat(probe().attempts("observed twice")).isEqualTo(2);
    }

    @Test
    void thousandMessagesUnderLoadAllArriveWithAtMostMaxConcurrencyBeansAtOnce() {
        int count = 1000;
        long start = System.nanoTime();

        probe().publishMany("it/load", count);

        await().atMost(Duration.ofSeconds(120)).until(
                () -> probe().payloads("it/load").stream().filter(p -> !p.equals(READY)).distinct().count(),
                n -> n == count);
        long millis = (System.nanoTime() - start) / 1_000_000;
        System.out.printf("WRENMQ-IT %s: %d messages published and delivered in %d ms, at most %d beans at once%n",
                getClass().getSimpleName(), count, millis, probe().mostRunningAtOnce());
        assertThat(probe().mostRunningAtOnce()).as("maxConcurrency of LoadListener").isBetween(1, 2);
    }
}
