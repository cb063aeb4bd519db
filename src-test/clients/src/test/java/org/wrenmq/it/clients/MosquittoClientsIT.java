package org.wrenmq.it.clients;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.wrenmq.broker.Broker;
import org.wrenmq.it.support.ClientProcess;

/**
 * The seed demo, automated: Debian's mosquitto_sub and mosquitto_pub (with -d, which prints every packet) against
 * WrenMQ on a free loopback port.
 */
@DisplayName("mosquitto_sub / mosquitto_pub against WrenMQ")
class MosquittoClientsIT {
    private static final String TOPIC = "floor-5/temperature";
    private static final Duration PATIENCE = ClientProcess.PATIENCE;

    /** What mosquitto_pub -d prints after sending its PUBLISH, per QoS. */
    private static final Map<Integer, List<String>> PUBLISHER_ACKS = Map.of(
            0, List.of(),
            1, List.of("received PUBACK"),
            2, List.of("received PUBREC", "sending PUBREL", "received PUBCOMP"));
    /** What mosquitto_sub -d prints after receiving a PUBLISH, per QoS. */
    private static final Map<Integer, List<String>> SUBSCRIBER_ACKS = Map.of(
            0, List.of(),
            1, List.of("sending PUBACK"),
            2, List.of("sending PUBREC", "received PUBREL", "sending PUBCOMP"));

    @TempDir
    Path dir;

    private Broker broker;
    private final List<ClientProcess> processes = new ArrayList<>();

    @BeforeEach
    void startBroker() {
        broker = Broker.builder().listener(0, "127.0.0.1").set("allow_anonymous", "true")
                .set("persistence_location", dir.resolve("store").toString()).build().start();
    }

    @AfterEach
    void stopEverything() throws InterruptedException {
        for (ClientProcess process : processes) {
            process.close();
        }
        broker.close();
    }

    @ParameterizedTest(name = "QoS {0}")
    @ValueSource(ints = {0, 1, 2})
    @DisplayName("mosquitto_sub receives 15 from mosquitto_pub; both show the acknowledgements of the QoS")
    void subscriberReceivesWhatPublisherSends(int qos) throws Exception {
        ClientProcess subscriber = subscribe("sub", TOPIC, qos);

        String published = client("mosquitto_pub", "-d", "-q", Integer.toString(qos), "-t", TOPIC, "-m", "15")
                .awaitSuccess();

        String received = subscriber.awaitSuccess();
        assertThat(received.lines()).contains("15");
        assertAppearInOrder(received, "received PUBLISH (d0, q" + qos + ", r0, m", SUBSCRIBER_ACKS.get(qos));
        assertAppearInOrder(published, "sending PUBLISH (d0, q" + qos + ", r0, m", PUBLISHER_ACKS.get(qos));
        if (qos == 0) {
            assertThat(received + published).doesNotContain("PUBACK", "PUBREC");
        }
    }

    @Test
    @DisplayName("a retained message reaches a later mosquitto_sub with the retain flag set")
    void retainedMessageReachesLaterSubscriber() throws Exception {
        client("mosquitto_pub", "-d", "-q", "1", "-r", "-t", TOPIC, "-m", "15").awaitSuccess();

        String received = client("mosquitto_sub", "-d", "-q", "1", "-t", TOPIC, "-C", "1", "-W", "10")
                .awaitSuccess();

        assertThat(received.lines()).contains("15");
        assertThat(received).contains("received PUBLISH (d0, q1, r1, m");
    }

    @ParameterizedTest(name = "filter {0}")
    @ValueSource(strings = {"+/temperature", "floor-5/#"})
    @DisplayName("wildcard subscriptions of mosquitto_sub match floor-5/temperature")
    void wildcardSubscriptionReceivesTheMessage(String filter) throws Exception {
        ClientProcess subscriber = subscribe("wild", filter, 2);

        client("mosquitto_pub", "-q", "2", "-t", TOPIC, "-m", "15").awaitSuccess();

        String received = subscriber.awaitSuccess();
        assertThat(received.lines()).contains("15");
        assertThat(received).contains("'" + TOPIC + "'");
    }

    @Test
    @DisplayName("the will of a mosquitto_sub killed with SIGKILL is published")
    void willOfKilledClientIsPublished() throws Exception {
        ClientProcess watcher = subscribe("watcher", "floor-5/status", 1);
        ClientProcess sensor = client("mosquitto_sub", "-i", "sensor", "-t", TOPIC,
                "--will-topic", "floor-5/status", "--will-payload", "offline", "--will-qos", "1");
        awaitSubscribed(sensor, "sensor", TOPIC);

        sensor.kill();

        String received = watcher.awaitSuccess();
        assertThat(received.lines()).contains("offline");
        assertThat(received).contains("received PUBLISH (d0, q1, r0, m");
    }

    private static void assertAppearInOrder(String output, String first, List<String> then) {
        int from = 0;
        List<String> fragments = new ArrayList<>(List.of(first));
        fragments.addAll(then);
        for (String fragment : fragments) {
            int at = output.indexOf(fragment, from);
            assertThat(at).as("'%s' after position %d of:%n%s", fragment, from, output).isNotNegative();
            from = at + fragment.length();
        }
    }

    /** A debug mosquitto_sub that ends after its first message (or fails after the patience), once subscribed. */
    private ClientProcess subscribe(String clientId, String filter, int qos) {
        ClientProcess subscriber = client("mosquitto_sub", "-d", "-i", clientId, "-q", Integer.toString(qos),
                "-t", filter, "-C", "1", "-W", Long.toString(PATIENCE.toSeconds()));
        awaitSubscribed(subscriber, clientId, filter);
        return subscriber;
    }

    /** The broker itself says when the subscription exists: mosquitto_sub's output is buffered until it ends. */
    private void awaitSubscribed(ClientProcess subscriber, String clientId, String filter) {
        await().atMost(PATIENCE).untilAsserted(() -> assertThat(broker.subscriptions())
                .as("subscriptions; %s alive: %s, output so far:%n%s", clientId, subscriber.isAlive(),
                        subscriber.output())
                .anyMatch(s -> s.clientId().equals(clientId) && s.topicFilter().equals(filter)));
    }

    private ClientProcess client(String program, String... args) {
        List<String> command = new ArrayList<>(List.of(program, "-h", "127.0.0.1", "-p",
                Integer.toString(broker.port())));
        command.addAll(List.of(args));
        ClientProcess process = ClientProcess.start(dir, command);
        processes.add(process);
        return process;
    }
}
