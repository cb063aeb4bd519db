package org.wrenmq.broker.cluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.wrenmq.broker.conformance.Packet;
import org.wrenmq.broker.conformance.Packets;
import org.wrenmq.broker.conformance.RawClient;
import org.wrenmq.broker.mqtt5.Paho5;
import org.wrenmq.broker.testing.PacketType;

/**
 * The instant of a persistent session's move from node 1 to node 2: node 3 has not learnt of it yet (its
 * subscription directory's events held back by a test hook) and still sends the session's messages to node 1; or
 * node 2 already has a subscriber on the session's filter, so that the others send the messages to both nodes, and
 * node 2 routes them before it adopted the session (the answer carrying the session held back) or after (its inbox
 * held back). They must reach the client resumed on node 2 all the same, once each, in each publisher's order.
 * Three nodes in this JVM; raw MQTT 3.1.1 clients for the session, Paho MQTT 5 publishers and plain subscriber.
 */
@Timeout(120)
@DisplayName("a persistent session's hand-over to another node")
class HandOverTests {
    private static final Duration PATIENCE = Duration.ofSeconds(20);
    private static final int OLD = 0;
    private static final int NEW = 1;
    private static final int LATE = 2;
    private static ThreeNodes cluster;
    private final NodeClients clients = new NodeClients(() -> cluster);
    private UUID held;

    @BeforeAll
    static void startCluster() {
        cluster = new ThreeNodes("handover");
    }

    @AfterAll
    static void stopCluster() {
        if (cluster != null) {
            cluster.close();
        }
    }

    /** Events a test holds back on the new node ({@link HeldEvents#inbox}, {@link HeldEvents#sessionRequests}). */
    private final List<Object> heldOnNewNode = new ArrayList<>();

    @AfterEach
    void closeClients() throws Exception {
        if (held != null) {
            HeldEvents.release(held);
        }
        heldOnNewNode.forEach(HeldEvents::release);
        clients.close();
    }

    @Test
    @DisplayName("[MQTT-4.6.0-5] a QoS 1 message published on a node that still sends the session's messages to its "
            + "old node reaches the resumed session on the new node once, before the messages published after it")
    void messageSentToTheOldNodeAfterTheHandOverIsPassedOn() throws Exception {
        String id = "handover-qos1";
        String topic = "handover/qos1";
        RawClient resumed = moveWhileNodeThreeIsLate(id, topic, 1);
        long passedOn = cluster.counter(OLD, "cluster.sessions.forwarded_after_move");
        Paho5 publisher = clients.paho(LATE, "publisher-qos1");

        publisher.publish(topic, "during", 1);
        assertThat(receiveQos1(resumed)).isEqualTo("during");
        // the old node counts a message passed on just after sending it: it may reach the client first
        await().atMost(PATIENCE).until(() -> cluster.counter(OLD, "cluster.sessions.forwarded_after_move") > passedOn);
        assertThat(cluster.counter(OLD, "cluster.sessions.forwarded_after_move")).isEqualTo(passedOn + 1);

        releaseNodeThree();
        publisher.publish(topic, "after-1", 1);
        publisher.publish(topic, "after-2", 1);
        assertThat(receiveQos1(resumed)).isEqualTo("after-1");
        assertThat(receiveQos1(resumed)).isEqualTo("after-2");
        resumed.send(Packets.pingreq()).expect(PacketType.PINGRESP);
    }

    @Test
    @DisplayName("[MQTT-4.3.3-2] [MQTT-4.6.0-5] QoS 2 messages from publishers on all three nodes during the move: "
            + "each delivered once, each publisher's in order")
    void qos2FromEveryNodeOnceAndInOrder() throws Exception {
        String id = "handover-qos2";
        String topic = "handover/qos2";
        RawClient resumed = moveWhileNodeThreeIsLate(id, topic, 2);
        Map<String, Paho5> publishers = new LinkedHashMap<>();
        publishers.put("late", clients.paho(LATE, "publisher-late"));
        publishers.put("old", clients.paho(OLD, "publisher-old"));
        publishers.put("new", clients.paho(NEW, "publisher-new"));

        List<String> sent = new ArrayList<>();
        for (int i = 1; i <= 6; i++) {
            if (i == 4) {
                releaseNodeThree();
            }
            for (Map.Entry<String, Paho5> p : publishers.entrySet()) {
                String payload = p.getKey() + "-" + i;
                p.getValue().publish(topic, payload, 2);
                sent.add(payload);
            }
        }

        List<String> received = receiveQos2(resumed, sent.size());
        assertThat(received).as("each once").containsExactlyInAnyOrderElementsOf(sent);
        for (String p : publishers.keySet()) {
            assertThat(received.stream().filter(m -> m.startsWith(p + "-")))
                    .as("in the order publisher %s sent them", p)
                    .containsExactly(p + "-1", p + "-2", p + "-3", p + "-4", p + "-5", p + "-6");
        }
    }

    /**
     * Subscribes {@code id} on node 1 (known on node 3), holds node 3's directory events back, and resumes the
     * session on node 2 after its client left node 1.
     */
    private RawClient moveWhileNodeThreeIsLate(String id, String topic, int qos) {
        long known = cluster.counter(LATE, "cluster.subscriptions.remote_added");
        RawClient first = clients.raw(OLD).connectAccepted(Packets.connect(id).cleanSession(false))
                .subscribe(topic, qos);
        await().atMost(PATIENCE).until(() -> cluster.counter(LATE, "cluster.subscriptions.remote_added") > known);
        first.close();
        await().atMost(PATIENCE).until(() -> !cluster.session(OLD, id).connected());

        held = cluster.memberId(LATE);
        HeldEvents.hold(held);
        RawClient resumed = clients.raw(NEW);
        assertThat(resumed.connect(Packets.connect(id).cleanSession(false)).sessionPresent()).isTrue();
        return resumed;
    }

    private void releaseNodeThree() {
        HeldEvents.release(held);
        held = null;
    }

    /** The next message's payload, acknowledged (QoS 1). */
    private static String receiveQos1(RawClient client) {
        Packet p = client.expect(PacketType.PUBLISH);
        assertThat(p.qos()).isEqualTo(1);
        client.send(Packets.puback(p.packetId()));
        return p.payload();
    }

    /**
     * Receives {@code count} QoS 2 messages, answering each PUBLISH with PUBREC and each PUBREL with PUBCOMP as
     * they come (the broker sends the next PUBLISH before the last PUBREL), then asserts that nothing more comes.
     */
    private static List<String> receiveQos2(RawClient client, int count) {
        List<String> received = new ArrayList<>();
        boolean pinged = false;
        while (true) {
            Packet p = client.poll(PATIENCE).orElseThrow(() -> new AssertionError("only " + received));
            if (p.type() == PacketType.PUBLISH) {
                assertThat(p.qos()).isEqualTo(2);
                assertThat(received.size()).as("a message more than sent: %s", p.payload()).isLessThan(count);
                received.add(p.payload());
                client.send(Packets.pubrec(p.packetId()));
            } else if (p.type() == PacketType.PUBREL) {
                client.send(Packets.pubcomp(p.packetId()));
            } else if (p.type() == PacketType.PINGRESP) {
                return received;
            }
            if (received.size() == count && !pinged) {
                client.send(Packets.pingreq());
                pinged = true;
            }
        }
    }

    @ParameterizedTest(name = "QoS {0}")
    @ValueSource(ints = {1, 2})
    @DisplayName("[MQTT-4.3.3-2] [MQTT-4.6.0-5] the new node already has a subscriber on the session's filter: what "
            + "is published on any node between the hand-over and the adoption reaches the resumed session (at QoS 2 "
            + "once), in each publisher's order, and the other subscriber as usual")
    void publishedBetweenHandOverAndAdoption(int qos) throws Exception {
        Beside beside = besidePlainSubscriber("gap", qos);
        Object answers = holdOnNewNode(HeldEvents.sessionRequests(cluster.memberId(NEW)));
        long movedOut = cluster.counter(OLD, "cluster.sessions.moved_out");
        RawClient resumed = clients.raw(NEW).send(Packets.connect(beside.id()).cleanSession(false).bytes());
        await().atMost(PATIENCE).until(() -> cluster.counter(OLD, "cluster.sessions.moved_out") > movedOut);

        List<String> sent = beside.publish(1, 3);
        int beforeAdoption = sent.size();
        assertThat(payloads(beside.plain().next(sent.size()))).as("the new node routed them before adopting the "
                + "session").containsExactlyInAnyOrderElementsOf(sent);
        HeldEvents.release(answers);
        assertThat(resumed.expect(PacketType.CONNACK).sessionPresent()).isTrue();
        sent.addAll(beside.publish(4, 5));

        beside.assertReceived(resumed, sent, sent.subList(beforeAdoption, sent.size()));
    }

    @ParameterizedTest(name = "QoS {0}")
    @ValueSource(ints = {1, 2})
    @DisplayName("[MQTT-4.3.3-2] [MQTT-4.6.0-5] the new node already has a subscriber on the session's filter and "
            + "reads what was published before the hand-over only after adopting the session: the resumed session "
            + "gets each message (at QoS 2 once), in each publisher's order")
    void publishedBeforeTheHandOverReadLateByTheNewNode(int qos) throws Exception {
        Beside beside = besidePlainSubscriber("lag", qos);
        Object inbox = holdOnNewNode(HeldEvents.inbox(cluster.memberId(NEW)));

        List<String> sent = beside.publish(1, 2);
        await().atMost(PATIENCE).until(() -> cluster.session(OLD, beside.id()).queued() == sent.size());
        RawClient resumed = clients.raw(NEW);
        assertThat(resumed.connect(Packets.connect(beside.id()).cleanSession(false)).sessionPresent()).isTrue();
        sent.addAll(beside.publish(3, 4));
        HeldEvents.release(inbox);
        sent.addAll(beside.publish(5, 6));

        beside.assertReceived(resumed, sent, sent);
    }

    /**
     * The persistent session {@code id} on the old node, its client gone, beside a plain subscriber on the new node
     * to the same topic, and a publisher on each node.
     */
    private record Beside(String id, String topic, int qos, Paho5 plain, Map<String, Paho5> publishers) {
        /** Messages {@code from} to {@code to} of each publisher, acknowledged. */
        List<String> publish(int from, int to) throws Exception {
            return HandOverTests.publish(publishers, topic, qos, from, to);
        }

        /**
         * The resumed session gets each of {@code sent} (at QoS 2 once), each publisher's in order; the plain
         * subscriber each of {@code plainGets} once, in order.
         */
        void assertReceived(RawClient resumed, List<String> sent, List<String> plainGets) {
            HandOverTests.assertReceived(qos, receive(resumed, qos, sent.size()), sent);
            HandOverTests.assertReceived(2, payloads(plain.next(plainGets.size())), plainGets);
        }
    }

    /**
     * A plain subscriber on the new node and the persistent session on the old node, both on one topic, known on
     * every node; the session's client has left.
     */
    private Beside besidePlainSubscriber(String name, int qos) throws Exception {
        String id = "handover-" + name + "-" + qos;
        String topic = "handover/" + name + "/" + qos;
        long[] known = new long[3];
        for (int node = 0; node < 3; node++) {
            known[node] = cluster.counter(node, "cluster.subscriptions.remote_added");
        }
        Paho5 plain = clients.paho(NEW, id + "-plain").subscribe(topic, qos);
        RawClient first = clients.raw(OLD).connectAccepted(Packets.connect(id).cleanSession(false))
                .subscribe(topic, qos);
        await().atMost(PATIENCE).until(() -> cluster.counter(OLD, "cluster.subscriptions.remote_added") > known[OLD]
                && cluster.counter(NEW, "cluster.subscriptions.remote_added") > known[NEW]
                && cluster.counter(LATE, "cluster.subscriptions.remote_added") > known[LATE] + 1);
        first.close();
        await().atMost(PATIENCE).until(() -> !cluster.session(OLD, id).connected());
        return new Beside(id, topic, qos, plain, publishers(name + "-" + qos));
    }

    /** A publisher on each node, named after it. */
    private Map<String, Paho5> publishers(String prefix) throws Exception {
        Map<String, Paho5> publishers = new LinkedHashMap<>();
        publishers.put("late", clients.paho(LATE, prefix + "-late"));
        publishers.put("old", clients.paho(OLD, prefix + "-old"));
        publishers.put("new", clients.paho(NEW, prefix + "-new"));
        return publishers;
    }

    private Object holdOnNewNode(Object what) {
        HeldEvents.hold(what);
        heldOnNewNode.add(what);
        return what;
    }

    /** Messages {@code from} to {@code to} of each publisher (payload: its name and the number), acknowledged. */
    private static List<String> publish(Map<String, Paho5> publishers, String topic, int qos, int from, int to)
            throws Exception {
        List<String> sent = new ArrayList<>();
        for (int i = from; i <= to; i++) {
            for (Map.Entry<String, Paho5> p : publishers.entrySet()) {
                String payload = p.getKey() + "-" + i;
                p.getValue().publish(topic, payload, qos);
                sent.add(payload);
            }
        }
        return sent;
    }

    private static List<String> payloads(List<Paho5.Received> received) {
        return received.stream().map(Paho5.Received::payload).toList();
    }

    /**
     * {@code received} holds each of {@code sent}, each publisher's in the order sent: once at QoS 2 (and for the
     * plain subscriber); at QoS 1 at least once, in order by first delivery [MQTT-4.6.0-5].
     */
    private static void assertReceived(int qos, List<String> received, List<String> sent) {
        List<String> firsts = received.stream().distinct().toList();
        if (qos == 2) {
            assertThat(received).as("each once").hasSameSizeAs(firsts);
        }
        assertThat(firsts).as("each").containsExactlyInAnyOrderElementsOf(sent);
        for (String publisher : List.of("late", "old", "new")) {
            assertThat(firsts.stream().filter(m -> m.startsWith(publisher + "-")).toList())
                    .as("in the order publisher %s sent them", publisher)
                    .isEqualTo(sent.stream().filter(m -> m.startsWith(publisher + "-")).toList());
        }
    }

    /** The messages until {@code count} different ones came, acknowledged, and any that come after them. */
    private static List<String> receive(RawClient client, int qos, int count) {
        if (qos == 2) {
            return receiveQos2(client, count);
        }
        List<String> received = new ArrayList<>();
        while (received.stream().distinct().count() < count) {
            received.add(receiveQos1(client));
        }
        client.send(Packets.pingreq());
        for (Packet p; (p = client.poll(PATIENCE).orElseThrow()).type() != PacketType.PINGRESP; ) {
            assertThat(p.type()).isEqualTo(PacketType.PUBLISH);
            client.send(Packets.puback(p.packetId()));
            received.add(p.payload());
        }
        return received;
    }
}
