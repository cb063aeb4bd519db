package org.wrenmq.it.karaf;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.wrenmq.it.support.Ports;

/**
 * {@code feature:install wrenmq} in a real Apache Karaf: the features repository this build made, booted with
 * Karaf, the broker's port from {@code etc/org.wrenmq.broker.cfg}, mosquitto's own clients talking through it,
 * the example bundle's whiteboard listener answering through the publisher service, the shell commands, and an
 * edited configuration file moving the broker to another port with the listener following.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class WrenmqFeatureInKarafIT {
    /** The test that moves the broker to another port runs after the others. */
    private static final int LAST = Integer.MAX_VALUE;
    private static final Duration BOOT_TIMEOUT = Duration.ofMinutes(3);
    private static final Duration DELIVERY_TIMEOUT = Duration.ofSeconds(45);
    private static final Duration RETRY_INTERVAL = Duration.ofMillis(500);

    static KarafInstance karaf;
    static Path work;
    static int mqttPort;

    @BeforeAll
    static void bootKarafWithFeatureWrenmq() throws Exception {
        work = Path.of(System.getProperty("wrenmq.karaf.work", "target/karaf-run"));
        karaf = KarafInstance.unpack(Path.of(System.getProperty("wrenmq.karaf.tarball")), work, Ports.free());
        karaf.prepare(Path.of(System.getProperty("maven.local.repository")), Ports.free(), Ports.free());
        karaf.bootFeature("mvn:org.wrenmq/features/" + System.getProperty("wrenmq.version") + "/xml/features",
                "wrenmq");
        mqttPort = Ports.free();
        // Written before boot: the feature's configfile never overwrites it.
        writeBrokerConfig(mqttPort);

        Instant start = Instant.now();
        karaf.start(work.resolve("karaf-console.log"));
        await().atMost(BOOT_TIMEOUT).pollInterval(RETRY_INTERVAL)
                .until(() -> Ports.listening(mqttPort) || !karaf.isRunning());
        assertThat(karaf.isRunning()).as("Karaf is running; see " + work).isTrue();
        System.out.printf("Karaf booted with feature wrenmq, MQTT port %d open after %d ms%n", mqttPort,
                Duration.between(start, Instant.now()).toMillis());
        // Deployed once the API is there, as another application would be (earlier, it waits unresolved).
        Files.copy(Path.of(System.getProperty("wrenmq.example.bundle")),
                karaf.home().resolve("deploy/wrenmq-example-echo.jar"));
    }

    @AfterAll
    static void stopKaraf() throws Exception {
        if (karaf != null) {
            karaf.close();
        }
    }

    @Test
    void mosquittoClientsTalkThroughTheBroker() throws Exception {
        try (Mosquitto.Subscriber sub = Mosquitto.subscribeOne(mqttPort, "karaf/greeting", file("sub-plain.txt"))) {
            publishUntilReceived(sub, "karaf/greeting", "hello from mosquitto_pub");

            assertThat(sub.printed()).isEqualTo("karaf/greeting hello from mosquitto_pub");
        }
    }

    @Test
    void listenerServiceInAnotherBundleReceivesAndAnswersThroughThePublisherService() throws Exception {
        try (Mosquitto.Subscriber sub = Mosquitto.subscribeOne(mqttPort, "echo/out/+", file("sub-echo.txt"))) {
            publishUntilReceived(sub, "echo/in/karaf", "ping");

            assertThat(sub.printed()).isEqualTo("echo/out/karaf ping");
        }
    }

    @Test
    void shellCommandsPublishAndShowTheBrokerAndItsConfigurationKeys() throws Exception {
        try (Mosquitto.Subscriber sub = Mosquitto.subscribeOne(mqttPort, "shell/#", file("sub-shell.txt"))) {
            await().atMost(DELIVERY_TIMEOUT).until(() -> karaf.shell("wrenmq:subscriptions").contains("shell/#"));

            String printed = karaf.shell("wrenmq:publish shell/hello from-the-shell -q 1 -r", "wrenmq:clients",
                    "wrenmq:stats", "config:meta org.wrenmq.broker");
            System.out.println(printed);

            assertThat(printed).contains("Published").contains("Client id").contains("Counter")
                    .as("metatype of pid org.wrenmq.broker").contains("bind_address").contains("max_queued_messages");
            await().atMost(DELIVERY_TIMEOUT).until(sub::finished);
            assertThat(sub.printed()).isEqualTo("shell/hello from-the-shell");
        }
    }

    @Test
    @Order(LAST)
    void editingTheConfigFileMovesThePortAndTheListenerFollows() throws Exception {
        int oldPort = mqttPort;
        mqttPort = Ports.free();

        writeBrokerConfig(mqttPort);

        await().atMost(DELIVERY_TIMEOUT).until(() -> !Ports.listening(oldPort) && Ports.listening(mqttPort));
        try (Mosquitto.Subscriber sub = Mosquitto.subscribeOne(mqttPort, "echo/out/+", file("sub-moved.txt"))) {
            publishUntilReceived(sub, "echo/in/moved", "pong");

            assertThat(sub.printed()).isEqualTo("echo/out/moved pong");
        }
    }

    private static void writeBrokerConfig(int port) throws IOException {
        karaf.writeBrokerConfig(Path.of(System.getProperty("maven.local.repository")),
                System.getProperty("wrenmq.version"), port);
    }

    /** Publishes (QoS 1) until the subscriber got a message: the listener may still be starting. Bounded. */
    private static void publishUntilReceived(Mosquitto.Subscriber sub, String topic, String message)
            throws IOException, InterruptedException {
        Instant deadline = Instant.now().plus(DELIVERY_TIMEOUT);
        while (!sub.finished() && Instant.now().isBefore(deadline)) {
            Mosquitto.publish(mqttPort, topic, message, "-q", "1");
            sub.process().waitFor(RETRY_INTERVAL.toMillis(), TimeUnit.MILLISECONDS);
        }
        assertThat(sub.finished()).as("mosquitto_sub received within " + DELIVERY_TIMEOUT).isTrue();
    }

    private static Path file(String name) {
        return work.resolve(name);
    }
}
