package org.wrenmq.broker.conformance;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.stream.IntStream;

import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.wrenmq.broker.ConfigException;
import org.wrenmq.broker.testing.PacketType;

/**
 * The broker's limits, with mosquitto's setting names and defaults: max_inflight_messages, max_queued_messages,
 * message_size_limit, max_connections, max_keepalive; and WrenMQ's io_threads. Not numbered in the specification.
 */
@DisplayName("Limits (mosquitto settings)")
class LimitsTests {
    private static final Duration QUIET = Duration.ofMillis(500);

    @RegisterExtension
    final BrokerExtension broker = new BrokerExtension();

    @ParameterizedTest(name = "max_inflight_messages = {0} (empty: default 20)")
    @CsvSource(value = {"'', 20", "5, 5"})
    @DisplayName("max_inflight_messages: at most that many unacknowledged QoS 1 messages are outstanding to a client")
    void inflightWindowIsBounded(String setting, int window) throws Exception {
        if (!setting.isEmpty()) {
            broker.set("max_inflight_messages", setting);
        }
        RawClient subscriber = broker.rawConnected("slow", true).subscribe("load", 1);
        PahoClient publisher = broker.pahoConnected("pub");
        int total = window + 10;

        for (int i = 0; i < total; i++) {
            publisher.publish("load", Integer.toString(i), 1);
        }

        List<Packet> outstanding = new ArrayList<>();
        for (int i = 0; i < window; i++) {
            outstanding.add(subscriber.expect(PacketType.PUBLISH));
        }
        subscriber.expectNothingFor(QUIET);
        subscriber.send(Packets.puback(outstanding.get(0).packetId()));
        assertThat(subscriber.expect(PacketType.PUBLISH).payload()).isEqualTo(Integer.toString(window));
        subscriber.expectNothingFor(QUIET);
        assertThat(outstanding).extracting(Packet::payload)
                .containsExactlyElementsOf(IntStream.range(0, window).mapToObj(Integer::toString).toList());
    }

    @ParameterizedTest(name = "max_queued_messages = {0} (empty: default 1000)")
    @CsvSource(value = {"'', 1000", "10, 10"})
    @DisplayName("max_queued_messages: an offline session keeps the oldest messages up to the limit and drops the excess")
    void offlineQueueIsBounded(String setting, int limit) throws Exception {
        if (!setting.isEmpty()) {
            broker.set("max_queued_messages", setting);
        }
        PahoClient subscriber = broker.paho("offline");
        subscriber.connect(PahoClient.MQTT_3_1_1, false);
        subscriber.subscribe("queue", 1);
        subscriber.disconnect();
        PahoClient publisher = broker.pahoConnected("pub");
        int published = limit + 50;
        for (int i = 0; i < published; i++) {
            publisher.publish("queue", Integer.toString(i), 1);
        }

        subscriber.connect(PahoClient.MQTT_3_1_1, false);

        List<String> received = new ArrayList<>(subscriber.next(limit).stream().map(Received::payload).toList());
        for (Optional<Received> more = subscriber.poll(QUIET); more.isPresent(); more = subscriber.poll(QUIET)) {
            received.add(more.get().payload());
        }
        // Like mosquitto, a broker may hold the in-flight window (20) on top of the queue limit.
        assertThat(received).as("received after reconnect").hasSizeBetween(limit, limit + 20)
                .containsExactlyElementsOf(IntStream.range(0, received.size()).mapToObj(Integer::toString).toList());
    }

    @Test
    @DisplayName("message_size_limit: a bigger PUBLISH closes that connection only; a smaller one passes")
    void oversizedPublishClosesOnlyItsConnection() throws Exception {
        broker.set("message_size_limit", "1000");
        Bystander bystander = broker.bystander();
        PahoClient subscriber = broker.pahoConnected("sub");
        subscriber.subscribe("big", 1);
        RawClient publisher = broker.rawConnected("pub", true);

        publisher.send(Packets.publish("big", "x".repeat(900), 1, 1));
        publisher.expect(PacketType.PUBACK);
        assertThat(subscriber.next().payload()).hasSize(900);
        publisher.send(Packets.publish("big", "x".repeat(2000), 1, 2));

        publisher.expectClosedByBroker();
        bystander.assertStillServed();
        broker.pahoConnected("pub2").publish("big", "small", 1);
        assertThat(subscriber.next().payload()).as("the oversized message was not delivered").isEqualTo("small");
    }

    @Test
    @DisplayName("max_connections: the connection over the limit is refused; a slot freed is usable again")
    void connectionOverTheLimitIsRefused() {
        broker.set("max_connections", "2");
        broker.rawConnected("one", true);
        RawClient two = broker.rawConnected("two", true);

        RawClient three = broker.raw();
        three.send(Packets.connect("three").bytes());

        assertRefused(three);
        two.send(Packets.disconnect()).expectClosedByBroker();
        await().atMost(RawClient.PATIENCE).untilAsserted(() -> {
            try (RawClient retry = RawClient.open(broker.port())) {
                assertThat(retry.connect(Packets.connect("three")).connackReturnCode()).isZero();
            }
        });
    }

    @Test
    @DisplayName("max_keepalive: an MQTT 3.1.1 client asking for a longer keep alive gets CONNACK 2 (identifier rejected)")
    void keepAliveOverTheMaximumIsRefusedWithCode2() {
        broker.set("max_keepalive", "60");
        RawClient greedy = broker.raw();

        Packet connack = greedy.connect(Packets.connect("greedy").keepAlive(61));

        assertThat(connack.connackReturnCode()).isEqualTo(2);
        greedy.expectClosedByBroker();
        assertThat(broker.raw().connect(Packets.connect("modest").keepAlive(60)).connackReturnCode()).isZero();
    }

    @ParameterizedTest(name = "io_threads = {0}")
    @CsvSource({"1", "4"})
    @DisplayName("[MQTT-4.6.0-5] io_threads: with one event loop or several, each publisher's messages all arrive in order")
    void everyLoopCountKeepsEachPublishersOrder(String loops) throws Exception {
        broker.set("io_threads", loops);
        PahoClient subscriber = broker.pahoConnected("sink");
        subscriber.subscribe("loops/+", 1);
        List<PahoClient> publishers = new ArrayList<>();
        for (int p = 0; p < 4; p++) {
            publishers.add(broker.pahoConnected("source-" + p));
        }
        int perPublisher = 50;

        for (int i = 0; i < perPublisher; i++) {
            for (int p = 0; p < publishers.size(); p++) {
                publishers.get(p).publish("loops/" + p, Integer.toString(i), 1);
            }
        }

        List<Received> received = subscriber.next(perPublisher * publishers.size());
        for (int p = 0; p < publishers.size(); p++) {
            String topic = "loops/" + p;
            assertThat(received).filteredOn(r -> r.topic().equals(topic)).extracting(Received::payload)
                    .containsExactlyElementsOf(IntStream.range(0, perPublisher).mapToObj(Integer::toString).toList());
        }
    }

    @ParameterizedTest(name = "io_threads {0}")
    @CsvSource({"-1", "1025", "two"})
    @DisplayName("io_threads: a value outside 0-1024 is refused with the key named")
    void badLoopCountIsRefused(String value) {
        assertThatThrownBy(() -> broker.set("io_threads", value).port())
                .isInstanceOf(ConfigException.class).hasMessageStartingWith("io_threads must be");
    }

    /** Refused: closed without CONNACK, or closed after a CONNACK with a non-zero code. */
    private static void assertRefused(RawClient client) {
        Optional<Packet> answer = client.nextUnlessClosed();
        if (answer.isPresent()) {
            assertThat(answer.get().connackReturnCode()).as("CONNACK return code").isNotZero();
            client.expectClosedByBroker();
        }
    }
}
