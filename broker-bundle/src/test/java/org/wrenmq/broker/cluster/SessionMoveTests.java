package org.wrenmq.broker.cluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.eclipse.paho.mqttv5.client.MqttConnectionOptions;
import org.eclipse.paho.mqttv5.common.MqttMessage;
import org.eclipse.paho.mqttv5.common.packet.MqttProperties;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.wrenmq.broker.conformance.Packet;
import org.wrenmq.broker.message.Origin;
import org.wrenmq.broker.conformance.Packets;
import org.wrenmq.broker.conformance.RawClient;
import org.wrenmq.broker.mqtt5.Paho5;
import org.wrenmq.broker.testing.ManualClock;
import org.wrenmq.broker.testing.PacketType;

/**
 * What a persistent session carries when its client leaves node 1 and resumes on node 2: the QoS 1/2 exchanges
 * half done in either direction and a will whose delay is running. Two nodes in this JVM, each with its own store
 * on disk, on one manual clock; raw MQTT 3.1.1 clients where the test must stop an exchange half-way, Paho MQTT 5
 * for the will.
 */
@Timeout(120)
@DisplayName("a persistent session moving to another node")
class SessionMoveTests {
    private static final Duration PATIENCE = Duration.ofSeconds(20);
    private static final ManualClock CLOCK = new ManualClock();
    private static ThreeNodes cluster;
    private final NodeClients clients = new NodeClients(() -> cluster);

    @BeforeAll
    static void startCluster(@TempDir Path stores) throws Exception {
        cluster = ThreeNodes.withStores("moves", 2, stores, (node, builder) -> builder.clock(CLOCK));
    }

    @AfterAll
    static void stopCluster() {
        if (cluster != null) {
            cluster.close();
        }
    }

    @AfterEach
    void closeClients() throws Exception {
        clients.close();
    }

    @Test
    @DisplayName("[MQTT-4.4.0-1] a QoS 2 message the client answered with PUBREC on node 1 gets its PUBREL again "
            + "from node 2, and a QoS 1 message it had not acknowledged comes again with DUP, each under its "
            + "packet id")
    void outgoingExchangesContinue() throws Exception {
        String id = "meter-out";
        String topic = "moves/out";
        RawClient first = clients.raw(0).connectAccepted(Packets.connect(id).cleanSession(false)).subscribe(topic, 2);
        Paho5 publisher = clients.paho(0, "publisher-out");
        publisher.publish(topic, "half", 2);
        Packet qos2 = first.expect(PacketType.PUBLISH);
        first.send(Packets.pubrec(qos2.packetId()));
        first.expect(PacketType.PUBREL);
        publisher.publish(topic, "unacknowledged", 1);
        Packet qos1 = first.expect(PacketType.PUBLISH);
        await().atMost(PATIENCE).until(() -> mirroredOrigins(0, id), o -> o.size() == 2 && !o.contains(null));
        List<Origin> before = mirroredOrigins(0, id);
        first.close();
        awaitOffline(0, id);

        RawClient resumed = clients.raw(1);
        assertThat(resumed.connect(Packets.connect(id).cleanSession(false)).sessionPresent()).isTrue();

        assertThat(resumed.expect(PacketType.PUBREL).packetId()).isEqualTo(qos2.packetId());
        Packet again = resumed.expect(PacketType.PUBLISH);
        assertThat(again.payload()).isEqualTo("unacknowledged");
        assertThat(again.dup()).isTrue();
        assertThat(again.qos()).isEqualTo(1);
        assertThat(again.packetId()).isEqualTo(qos1.packetId());
        await().atMost(PATIENCE).untilAsserted(() -> assertThat(mirroredOrigins(1, id))
                .as("node 2 mirrors the moved messages under the identities they had on node 1")
                .containsExactlyInAnyOrderElementsOf(before));
        resumed.send(Packets.pubcomp(qos2.packetId()), Packets.puback(qos1.packetId()));
        resumed.send(Packets.pingreq()).expect(PacketType.PINGRESP);
        assertThat(cluster.session(1, id).inflight()).as("nothing left in flight").isZero();
    }

    @Test
    @DisplayName("a client that leaves while its session moves finds it again where it moved: the new node holds "
            + "the client id as soon as the session came, not only once the CONNECT goes on there")
    void sessionMovedForAClientGoneMeanwhileIsFoundAgain() throws Exception {
        String id = "meter-gone";
        clients.raw(0).connectAccepted(Packets.connect(id).cleanSession(false)).subscribe("moves/gone", 1).close();
        awaitOffline(0, id);
        Object answers = HeldEvents.sessionRequests(cluster.memberId(1));
        HeldEvents.hold(answers); // node 2 gets the session only once the client has gone
        try {
            RawClient leaving = clients.raw(1);
            leaving.send(Packets.connect(id).cleanSession(false).bytes());
            await().atMost(PATIENCE).until(() -> HeldEvents.held(answers) >= 1);
            leaving.close();
        } finally {
            HeldEvents.release(answers);
        }
        await().atMost(PATIENCE).until(() -> cluster.node(1).clients().stream().anyMatch(c -> c.clientId().equals(id)));

        RawClient back = clients.raw(0);
        assertThat(back.connect(Packets.connect(id).cleanSession(false)).sessionPresent())
                .as("session present on node 1 again").isTrue();
    }

    @Test
    @DisplayName("[MQTT-4.3.3-2] [MQTT-4.4.0-1] an incoming QoS 2 message received on node 1 and awaiting PUBREL: "
            + "resent with DUP on node 2 it is acknowledged but not routed again, and its PUBREL gets PUBCOMP")
    void incomingQos2IsRoutedOnce() throws Exception {
        String id = "meter-in";
        String topic = "moves/in";
        long known = remoteFilters(0);
        Paho5 subscriber = clients.paho(1, "subscriber-in").subscribe(topic, 2);
        await().atMost(PATIENCE).until(() -> remoteFilters(0) > known);
        RawClient first = clients.raw(0).connectAccepted(Packets.connect(id).cleanSession(false));
        first.send(Packets.publish(topic, "once", 2, 7));
        assertThat(first.expect(PacketType.PUBREC).packetId()).isEqualTo(7);
        first.close();
        assertThat(subscriber.next().payload()).isEqualTo("once");
        awaitOffline(0, id);

        RawClient resumed = clients.raw(1);
        assertThat(resumed.connect(Packets.connect(id).cleanSession(false)).sessionPresent()).isTrue();
        resumed.send(Packets.publish(Packets.utf8(topic), "once".getBytes(StandardCharsets.UTF_8), 2, false, true,
                7));
        assertThat(resumed.expect(PacketType.PUBREC).packetId()).isEqualTo(7);
        resumed.send(Packets.pubrel(7));
        assertThat(resumed.expect(PacketType.PUBCOMP).packetId()).isEqualTo(7);
        assertThat(cluster.session(1, id).persistent()).isTrue();

        resumed.send(Packets.publish(topic, "after", 2, 8));
        resumed.expect(PacketType.PUBREC);
        resumed.send(Packets.pubrel(8));
        resumed.expect(PacketType.PUBCOMP);
        assertThat(subscriber.next().payload()).as("the next message, not the duplicate").isEqualTo("after");
    }

    @Test
    @DisplayName("[MQTT-3.1.3-9] a will whose delay runs on node 1 is not published when the client resumes its "
            + "session on node 2 before the delay ends")
    void delayedWillIsNotPublishedWhenTheSessionResumesElsewhere() throws Exception {
        String id = "meter-will";
        String topic = "moves/will";
        long known = remoteFilters(0);
        Paho5 watcher = clients.paho(1, "watcher").subscribe(topic, 1);
        await().atMost(PATIENCE).until(() -> remoteFilters(0) > known);
        MqttConnectionOptions withWill = NodeClients.persistent();
        MqttProperties delay = new MqttProperties();
        delay.setWillDelayInterval(2L);
        withWill.setWill(topic, new MqttMessage("gone".getBytes(StandardCharsets.UTF_8)));
        withWill.setWillMessageProperties(delay);
        Paho5 first = new Paho5(cluster.port(0), id);
        clients.add(first);
        first.connect(withWill);
        first.dropConnection();
        awaitOffline(0, id);

        Paho5 resumed = new Paho5(cluster.port(1), id);
        clients.add(resumed);
        assertThat(resumed.connect(NodeClients.persistent()).getSessionPresent()).isTrue();
        CLOCK.advance(Duration.ofSeconds(3));

        // the will, had it gone out, was routed before this message
        resumed.publish(topic, "sentinel", 1);
        assertThat(watcher.next().payload()).isEqualTo("sentinel");
    }

    /** The identities of the messages node {@code node} mirrors for its session {@code id} (null: none). */
    private static List<Origin> mirroredOrigins(int node, String id) {
        return cluster.hazelcast(node).<String, byte[]>getMap(SessionMirror.MESSAGES)
                .values(new SessionMirror.KeyPrefix(cluster.memberId(node) + id + '\0')).stream()
                .map(v -> MirrorValue.read(v).origin()).toList();
    }

    private static long remoteFilters(int node) {
        return cluster.counter(node, "cluster.subscriptions.remote_added");
    }

    private static void awaitOffline(int node, String id) {
        await().atMost(PATIENCE).until(() -> !cluster.session(node, id).connected());
    }
}
