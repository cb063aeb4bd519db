package org.wrenmq.it.mqttjs;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.IntStream;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.wrenmq.broker.Broker;
import org.wrenmq.it.support.ClientProcess;

/**
 * MQTT 5 with Debian's mosquitto_sub and mosquitto_pub ({@code -V mqttv5}, properties set with {@code -D}) against
 * an in-process broker.
 */
class MosquittoV5Tests {
    private static final Duration RUN_TIME = Duration.ofSeconds(20);
    /** mosquitto_sub prints: topic|qos|content type|payload format|response topic|expiry|user props|sub ids|payload. */
    private static final String FORMAT = "%t|%q|%C|%F|%R|%E|%P|%S|%p";

    private final Path workDir = Path.of(System.getProperty("java.io.tmpdir"));
    private final List<ClientProcess> processes = new ArrayList<>();
    private Broker broker;

    @BeforeEach
    void startBroker() {
        broker = Broker.builder().listener(0, "127.0.0.1").set("allow_anonymous", "true").set("persistence", "false")
                .build().start();
    }

    @AfterEach
    void stop() {
        processes.forEach(ClientProcess::close);
        broker.close();
    }

    /**
     * [MQTT-3.3.2-4] [MQTT-3.3.2-6] [MQTT-3.3.2-15] [MQTT-3.3.2-17] [MQTT-3.3.2-18] [MQTT-3.3.2-20] [MQTT-3.3.4-3]:
     * properties set by mosquitto_pub arrive at mosquitto_sub unchanged, with its subscription identifier.
     */
    @Test
    void propertiesPassThrough() {
        ClientProcess sub = subscriber("mq5-props", "mq5/props", "-C", "1", "-D", "subscribe", "subscription-identifier",
                "7");
        awaitSubscribed("mq5-props");

        publish("-t", "mq5/props", "-q", "1", "-m", "hällo", "-D", "publish", "content-type", "text/plain",
                "-D", "publish", "user-property", "b", "2", "-D", "publish", "user-property", "a", "1",
                "-D", "publish", "response-topic", "mq5/replies", "-D", "publish", "payload-format-indicator", "1",
                "-D", "publish", "message-expiry-interval", "60", "-D", "publish", "correlation-data", "c-1");

        assertThat(sub.awaitExit(RUN_TIME)).isZero();
        assertThat(sub.lines()).singleElement().asString()
                .matches("mq5/props\\|1\\|text/plain\\|1\\|mq5/replies\\|(5[0-9]|60)\\|b:2 a:1\\|7\\|hällo");
    }

    /** [MQTT-3.1.2-23] [MQTT-3.2.2-3]: a session with an expiry interval keeps what arrives while its client is away. */
    @Test
    void sessionExpiryKeepsMessagesForAReturningClient() {
        ClientProcess first = subscriber("mq5-keeper", "mq5/session", "-c", "-x", "60", "-E");
        assertThat(first.awaitExit(RUN_TIME)).isZero();
        await().atMost(RUN_TIME).until(() -> broker.clients().stream()
                .anyMatch(c -> c.clientId().equals("mq5-keeper") && !c.connected()));

        publish("-t", "mq5/session", "-q", "1", "-m", "while away");

        ClientProcess back = subscriber("mq5-keeper", "mq5/session", "-c", "-x", "60", "-C", "1");
        assertThat(back.awaitExit(RUN_TIME)).isZero();
        assertThat(back.lines()).singleElement().asString().endsWith("|while away");
    }

    /** [MQTT-3.1.2-8] [MQTT-3.1.3-9]: the will of a killed client comes after its will delay, not before. */
    @Test
    void willDelayOfAKilledClient() {
        ClientProcess watcher = subscriber("mq5-watcher", "mq5/will", "-C", "1");
        awaitSubscribed("mq5-watcher");
        ClientProcess mortal = subscriber("mq5-mortal", "mq5/unused", "-c", "-x", "60", "--will-topic", "mq5/will",
                "--will-payload", "bye", "--will-qos", "1", "-D", "will", "will-delay-interval", "2");
        awaitSubscribed("mq5-mortal");

        mortal.kill();
        long killed = System.nanoTime();

        assertThat(watcher.awaitExit(RUN_TIME)).isZero();
        assertThat(Duration.ofNanos(System.nanoTime() - killed)).isGreaterThanOrEqualTo(Duration.ofMillis(1500));
        assertThat(watcher.lines()).singleElement().asString().endsWith("|bye");
    }

    /** [MQTT-3.3.4-9]: with Receive Maximum 1 mosquitto_sub still gets all QoS 1 messages, in order. */
    @Test
    void receiveMaximumOne() {
        ClientProcess sub = subscriber("mq5-narrow", "mq5/flow", "-C", "20", "-D", "connect", "receive-maximum", "1");
        awaitSubscribed("mq5-narrow");

        for (int i = 0; i < 20; i++) {
            publish("-t", "mq5/flow", "-q", "1", "-m", String.valueOf(i));
        }

        assertThat(sub.awaitExit(RUN_TIME)).isZero();
        assertThat(sub.lines()).extracting(line -> line.substring(line.lastIndexOf('|') + 1))
                .containsExactlyElementsOf(IntStream.range(0, 20).mapToObj(String::valueOf).toList());
    }

    /** [MQTT-3.1.2-24] [MQTT-3.1.2-25]: a message above mosquitto_sub's Maximum Packet Size is not sent, and counted. */
    @Test
    void maximumPacketSize() {
        ClientProcess sub = subscriber("mq5-small", "mq5/size", "-C", "1", "-D", "connect", "maximum-packet-size",
                "200");
        awaitSubscribed("mq5-small");

        publish("-t", "mq5/size", "-q", "1", "-m", "x".repeat(500));
        publish("-t", "mq5/size", "-q", "1", "-m", "fits");

        assertThat(sub.awaitExit(RUN_TIME)).isZero();
        assertThat(sub.lines()).singleElement().asString().endsWith("|fits");
        assertThat(broker.counters().get("messages.dropped.too_large_for_client")).isEqualTo(1);
    }

    private ClientProcess subscriber(String clientId, String topic, String... more) {
        List<String> command = new ArrayList<>(List.of("mosquitto_sub", "-V", "mqttv5", "-h", "127.0.0.1", "-p",
                String.valueOf(broker.port()), "-i", clientId, "-t", topic, "-q", "1", "-W", "15", "-F", FORMAT));
        command.addAll(List.of(more));
        ClientProcess p = ClientProcess.start(workDir, command.toArray(String[]::new));
        processes.add(p);
        return p;
    }

    private void publish(String... args) {
        List<String> command = new ArrayList<>(List.of("mosquitto_pub", "-V", "mqttv5", "-h", "127.0.0.1", "-p",
                String.valueOf(broker.port())));
        command.addAll(List.of(args));
        try (ClientProcess pub = ClientProcess.start(workDir, command.toArray(String[]::new))) {
            assertThat(pub.awaitExit(RUN_TIME)).as("mosquitto_pub: %s", pub.stderr()).isZero();
        }
    }

    private void awaitSubscribed(String clientId) {
        await().atMost(RUN_TIME).until(() -> broker.subscriptions().stream().anyMatch(s -> s.clientId().equals(clientId)));
    }
}
