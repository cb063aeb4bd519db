package org.wrenmq.broker.cluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.hazelcast.core.HazelcastInstance;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.wrenmq.broker.conformance.Packets;
import org.wrenmq.broker.conformance.RawClient;
import org.wrenmq.broker.mqtt5.Paho5;
import org.wrenmq.broker.testing.PacketType;

/**
 * {@code cluster_max_inflight_messages}: a node that falls behind with what another node forwards it slows the
 * publishers on that node instead of losing their messages. Three nodes in this JVM with a window of
 * {@value #WINDOW} messages. A node is held back by a test hook that keeps its reports to the other nodes of what it
 * routed ({@link ForwardingProgress#hold}), as a node that routes nothing sends none.
 */
@Timeout(120)
@DisplayName("the forwarding window between two nodes")
class ForwardingWindowTests {
    private static final Duration PATIENCE = Duration.ofSeconds(20);
    private static final int WINDOW = 20;
    /** Messages per stream: far more than the window, and more than one socket read brings. */
    private static final int STREAM = 1_000;
    private static final String PAYLOAD = "x".repeat(1_000);
    private static ThreeNodes cluster;
    private final List<AutoCloseable> clients = new ArrayList<>();
    private final List<UUID> held = new ArrayList<>();

    @BeforeAll
    static void startCluster() {
        cluster = new ThreeNodes("window", 3,
                (node, builder) -> builder.set("cluster_max_inflight_messages", String.valueOf(WINDOW))
                        .set("max_queued_messages", "10000"));
    }

    @AfterAll
    static void stopCluster() {
        if (cluster != null) {
            cluster.close();
        }
    }

    @AfterEach
    void release() throws Exception {
        for (UUID node : held) {
            try {
                ForwardingProgress.release(node);
            } catch (RuntimeException gone) {
                // a node the test stopped
            }
        }
        for (AutoCloseable c : clients) {
            c.close();
        }
    }

    @Test
    @DisplayName("a QoS 0 publisher on node 1 is no longer read once node 2 is a window behind; when node 2 "
            + "reports again, the publisher is read on and every message reaches node 2's subscriber, in order")
    void publisherPausedUntilTheNodeCatchesUp() throws Exception {
        Paho5 subscriber = subscriber(1, "flow/held");
        long readBefore = cluster.counter(0, "messages.received");
        long pausedBefore = cluster.counter(0, "cluster.forwarding.paused");
        UUID node2 = hold(1);

        CompletableFuture<Void> stream = publishStream(0, "flow/held");

        await().atMost(PATIENCE).until(() -> cluster.counter(0, "cluster.forwarding.paused") > pausedBefore);
        assertThat(cluster.counter(0, "messages.received") - readBefore)
                .as("messages node 1 read from the publisher while node 2 is held: the window, not what its socket "
                        + "buffer held")
                .isLessThanOrEqualTo(2L * WINDOW);
        assertThat(cluster.counter(0, "cluster.forwarding.paused_millis")).isNotNegative();

        held.remove(node2);
        ForwardingProgress.release(node2);

        stream.get(PATIENCE.toSeconds(), TimeUnit.SECONDS);
        assertThat(subscriber.next(STREAM)).extracting(r -> r.payload().substring(0, 8))
                .as("in publish order [MQTT-4.6.0-5]").containsExactlyElementsOf(numbers(STREAM));
        assertThat(cluster.counter(1, "cluster.messages.lost")).isZero();
        await().atMost(PATIENCE).until(() -> cluster.counter(0, "messages.received") - readBefore == STREAM);
    }

    @Test
    @DisplayName("a QoS 1 stream larger than the window reaches node 2 whole and in order, every message "
            + "acknowledged; its numbers are not mistaken for lost QoS 0 messages")
    void qos1StreamThroughTheWindow() throws Exception {
        Paho5 subscriber = subscriber(1, "flow/reliable");
        RawClient publisher = raw(0, "reliable-pub");
        byte[][] publishes = new byte[STREAM / 4][];
        for (int i = 0; i < publishes.length; i++) {
            publishes[i] = Packets.publish("flow/reliable", number(i) + PAYLOAD, 1, i + 1);
        }

        publisher.send(publishes);

        for (int i = 0; i < publishes.length; i++) {
            assertThat(publisher.expect(PacketType.PUBACK).packetId()).isEqualTo(i + 1);
        }
        assertThat(subscriber.next(publishes.length)).extracting(r -> r.payload().substring(0, 8))
                .containsExactlyElementsOf(numbers(publishes.length));
        assertThat(cluster.counter(1, "cluster.messages.lost")).isZero();
        assertThat(cluster.counter(1, "cluster.messages.overrun")).isZero();
    }

    @Test
    @DisplayName("a node that dies while publishers wait for it releases them: the publisher on node 1 goes on "
            + "and its subscriber on node 1 gets every message")
    void deadNodeReleasesTheWindow() throws Exception {
        subscriber(2, "flow/dead");
        Paho5 local = new Paho5(cluster.port(0), "dead-local");
        clients.add(local);
        local.connect().subscribe("flow/dead", 0);
        long pausedBefore = cluster.counter(0, "cluster.forwarding.paused");
        hold(2);

        CompletableFuture<Void> stream = publishStream(0, "flow/dead");
        await().atMost(PATIENCE).until(() -> cluster.counter(0, "cluster.forwarding.paused") > pausedBefore);

        HazelcastInstance node3 = cluster.hazelcast(2);
        CompletableFuture<Void> dying = CompletableFuture.runAsync(() -> node3.getLifecycleService().terminate());
        await().atMost(PATIENCE).until(() -> cluster.counter(0, "cluster.members") == 2);

        stream.get(PATIENCE.toSeconds(), TimeUnit.SECONDS);
        assertThat(local.next(STREAM)).extracting(r -> r.payload().substring(0, 8))
                .containsExactlyElementsOf(numbers(STREAM));
        dying.get(PATIENCE.toSeconds(), TimeUnit.SECONDS);
    }

    @Test
    @DisplayName("a filter a node that is gone left in the directory pauses no publisher: nothing is sent there, "
            + "and the local subscriber gets the whole stream")
    void filterOfANodeThatIsGoneIsNotFollowed() throws Exception {
        Paho5 local = new Paho5(cluster.port(0), "gone-local");
        clients.add(local);
        local.connect().subscribe("flow/gone", 0);
        cluster.hazelcast(1).getMap(SubscriptionDirectory.MAP)
                .set(new FilterKey(UUID.randomUUID(), null, "flow/gone").asMapKey(), "");
        subscriber(1, "flow/gone-known"); // a filter written after it, taken in by node 1

        publishStream(0, "flow/gone").get(PATIENCE.toSeconds(), TimeUnit.SECONDS);

        assertThat(local.next(STREAM)).extracting(r -> r.payload().substring(0, 8))
                .containsExactlyElementsOf(numbers(STREAM));
    }

    private Paho5 subscriber(int node, String topic) throws Exception {
        long known = cluster.counter(0, "cluster.subscriptions.remote_added");
        Paho5 subscriber = new Paho5(cluster.port(node), "sub-" + topic.replace('/', '-'));
        clients.add(subscriber);
        subscriber.connect().subscribe(topic, 0);
        await().atMost(PATIENCE).until(() -> cluster.counter(0, "cluster.subscriptions.remote_added") > known);
        return subscriber;
    }

    private RawClient raw(int node, String id) {
        RawClient c = RawClient.open(cluster.port(node)).connectAccepted(Packets.connect(id));
        clients.add(c);
        return c;
    }

    /** Sends {@link #STREAM} QoS 0 messages from a raw client on {@code node}; completes once all are written. */
    private CompletableFuture<Void> publishStream(int node, String topic) {
        RawClient publisher = raw(node, "pub-" + topic.replace('/', '-'));
        return CompletableFuture.runAsync(() -> {
            for (int i = 0; i < STREAM; i++) {
                publisher.send(Packets.publish(topic, number(i) + PAYLOAD, 0, 0));
            }
        });
    }

    /** Keeps {@code node} from reporting what it routed, until {@link ForwardingProgress#release}. */
    private UUID hold(int node) {
        UUID id = NodeIds.self(cluster.hazelcast(node));
        ForwardingProgress.hold(id);
        held.add(id);
        return id;
    }

    private static String number(int i) {
        return String.format("m%07d", i);
    }

    private static List<String> numbers(int count) {
        return IntStream.range(0, count).mapToObj(ForwardingWindowTests::number).toList();
    }
}
