package org.wrenmq.broker.cluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.hazelcast.map.MapInterceptor;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.wrenmq.broker.conformance.Packet;
import org.wrenmq.broker.conformance.Packets;
import org.wrenmq.broker.conformance.RawClient;
import org.wrenmq.broker.mqtt5.Paho5;
import org.wrenmq.broker.testing.PacketType;

/**
 * A node holding persistent sessions dies (its Hazelcast member terminated at once, as kill -9 does) and the oldest
 * survivor adopts them: what the client finds when it resumes there. Three nodes in this JVM, each with its own store
 * on disk; raw MQTT 3.1.1 clients where the test stops an exchange half-way, Paho MQTT 5 for streams. Where the test
 * needs the worst timing, it makes the cluster refuse a write (a map interceptor) instead of waiting for a race.
 */
@Timeout(180)
@DisplayName("the sessions of a node that died, adopted by a survivor")
class TakeoverTests {
    private static final Duration PATIENCE = Duration.ofSeconds(30);
    @TempDir
    Path stores;
    private ThreeNodes cluster;
    private int adopter;
    private int dying;
    private int other;
    private final NodeClients clients = new NodeClients(() -> cluster);

    @AfterEach
    void stop() throws Exception {
        clients.close();
        if (cluster != null) {
            cluster.close();
        }
    }

    @Test
    @DisplayName("messages published while the adopter takes over, which reach it both through the dead node's ring "
            + "buffer and its own routing, arrive once and in each publisher's order")
    void messagesDuringTheTakeoverArriveOnceInOrder() throws Exception {
        start("takeover-stream");
        String topic = "takeover/stream";
        Paho5 first = new Paho5(cluster.port(dying), "stream");
        first.connect(NodeClients.persistent());
        first.subscribe(topic, 1);
        first.disconnect();
        awaitOffline(dying, "stream");
        // no node learns that the dead node's filters left: every message for the session goes both ways
        cluster.hazelcast(adopter).getMap(SubscriptionDirectory.MAP).addInterceptor(new RefuseRemovals());
        long known = cluster.counter(other, "cluster.subscriptions.remote_added");

        killAndAwaitAdoption(1);
        patiently().until(() -> cluster.counter(other, "cluster.subscriptions.remote_added") > known);
        Paho5 fromOther = clients.paho(other, "publisher-other");
        Paho5 fromAdopter = clients.paho(adopter, "publisher-adopter");
        for (int i = 1; i <= 30; i++) {
            fromOther.publish(topic, "o" + i, 1);
            fromAdopter.publish(topic, "a" + i, 1);
        }
        fromOther.publish(topic, "o-end", 1);
        fromAdopter.publish(topic, "a-end", 1);

        Paho5 resumed = new Paho5(cluster.port(adopter), "stream");
        clients.add(resumed);
        assertThat(resumed.connect(NodeClients.persistent()).getSessionPresent()).isTrue();
        List<String> got = new ArrayList<>();
        while (!got.contains("o-end") || !got.contains("a-end")) {
            got.add(resumed.next().payload());
        }
        assertThat(got.stream().filter(p -> p.startsWith("o"))).containsExactlyElementsOf(numbered("o"));
        assertThat(got.stream().filter(p -> p.startsWith("a"))).containsExactlyElementsOf(numbered("a"));
    }

    @Test
    @DisplayName("[MQTT-4.4.0-1] a message the client acknowledged just before its node died does not come again "
            + "from the dead node's ring buffer; the one in flight comes again with DUP, under its packet id")
    void acknowledgedMessageIsNotReplayed() throws Exception {
        start("takeover-acked");
        // the node dies before recording how far it mirrored its ring buffer: the adopter replays all of it
        cluster.hazelcast(adopter).getMap(InboxProgress.MAP).addInterceptor(new RefuseWrites());
        String topic = "takeover/acked";
        RawClient first = subscribedOnDyingNode("acked", topic, 1);
        Paho5 publisher = clients.paho(other, "publisher-acked");
        publisher.publish(topic, "acknowledged", 1);
        Packet acknowledged = first.expect(PacketType.PUBLISH);
        assertThat(acknowledged.payload()).isEqualTo("acknowledged");
        first.send(Packets.puback(acknowledged.packetId()));
        publisher.publish(topic, "in flight", 1);
        Packet inFlight = first.expect(PacketType.PUBLISH);
        first.send(Packets.pingreq()).expect(PacketType.PINGRESP); // the PUBACK was handled
        first.close();
        awaitOffline(dying, "acked");

        killAndAwaitAdoption(1);
        RawClient resumed = clients.raw(adopter);
        assertThat(resumed.connect(Packets.connect("acked").cleanSession(false)).sessionPresent()).isTrue();

        Packet again = resumed.expect(PacketType.PUBLISH);
        assertThat(again.payload()).isEqualTo("in flight");
        assertThat(again.dup()).isTrue();
        assertThat(again.packetId()).isEqualTo(inFlight.packetId());
        resumed.send(Packets.puback(again.packetId()));
        publisher.publish(topic, "sentinel", 1);
        assertThat(resumed.expect(PacketType.PUBLISH).payload()).isEqualTo("sentinel");
    }

    @Test
    @DisplayName("[MQTT-4.3.3-1] [MQTT-4.4.0-1] a QoS 2 message the client answered with PUBREC on the node that died "
            + "gets its PUBREL from the adopter, not the message again")
    void releasedQos2MessageGetsPubrelFromTheAdopter() throws Exception {
        start("takeover-released");
        String topic = "takeover/released";
        RawClient first = subscribedOnDyingNode("released", topic, 2);
        clients.paho(other, "publisher-released").publish(topic, "half", 2);
        Packet qos2 = first.expect(PacketType.PUBLISH);
        first.send(Packets.pubrec(qos2.packetId()));
        first.expect(PacketType.PUBREL); // sent once the cluster holds the released state
        first.close();
        awaitOffline(dying, "released");

        killAndAwaitAdoption(1);
        RawClient resumed = clients.raw(adopter);
        assertThat(resumed.connect(Packets.connect("released").cleanSession(false)).sessionPresent()).isTrue();

        assertThat(resumed.expect(PacketType.PUBREL).packetId()).isEqualTo(qos2.packetId());
        resumed.send(Packets.pubcomp(qos2.packetId()));
        resumed.send(Packets.pingreq()).expect(PacketType.PINGRESP);
        assertThat(cluster.session(adopter, "released").inflight()).as("nothing left in flight").isZero();
    }

    @Test
    @DisplayName("[MQTT-4.3.3-2] an incoming QoS 2 message received on the node that died and awaiting PUBREL: "
            + "resent with DUP to the adopter it is acknowledged but not routed again")
    void incomingQos2IsRoutedOnceAfterTheTakeover() throws Exception {
        start("takeover-incoming");
        String topic = "takeover/incoming";
        Paho5 watcher = subscribedSeenBy(other, "watcher", topic, dying);
        RawClient first = clients.raw(dying).connectAccepted(Packets.connect("sender").cleanSession(false));
        first.send(Packets.publish(topic, "once", 2, 7));
        assertThat(first.expect(PacketType.PUBREC).packetId()).isEqualTo(7); // once the cluster holds the id
        first.close();
        assertThat(watcher.next().payload()).isEqualTo("once");
        awaitOffline(dying, "sender");

        killAndAwaitAdoption(1);
        RawClient resumed = clients.raw(adopter);
        assertThat(resumed.connect(Packets.connect("sender").cleanSession(false)).sessionPresent()).isTrue();
        resumed.send(Packets.publish(Packets.utf8(topic), "once".getBytes(StandardCharsets.UTF_8), 2, false, true,
                7));
        assertThat(resumed.expect(PacketType.PUBREC).packetId()).isEqualTo(7);
        resumed.send(Packets.pubrel(7));
        assertThat(resumed.expect(PacketType.PUBCOMP).packetId()).isEqualTo(7);
        resumed.send(Packets.publish(topic, "after", 2, 8));
        resumed.expect(PacketType.PUBREC);
        resumed.send(Packets.pubrel(8));
        resumed.expect(PacketType.PUBCOMP);

        assertThat(watcher.next().payload()).as("the next message, not the copy").isEqualTo("after");
    }

    @Test
    @DisplayName("[MQTT-4.3.3-1] [MQTT-4.3.3-2] a QoS 2 message the client completed (PUBCOMP) on the node that died, whose removal "
            + "had not reached the cluster, gets a PUBREL from the adopter, never the message again")
    void completedQos2MessageIsNotSentAgain() throws Exception {
        start("takeover-completed");
        RefuseRemovingMessages.refusing = true;
        // the client's PUBCOMP never reaches the cluster: its message stays in the mirror
        cluster.hazelcast(adopter).getMap(SessionMirror.MESSAGES).addInterceptor(new RefuseRemovingMessages());
        String topic = "takeover/completed";
        RawClient first = subscribedOnDyingNode("completed", topic, 2);
        Paho5 publisher = clients.paho(other, "publisher-completed");
        publisher.publish(topic, "exactly once", 2);
        Packet qos2 = first.expect(PacketType.PUBLISH);
        first.completeQos2Receipt(qos2); // the client has released the packet id: a PUBLISH under it is new
        first.send(Packets.pingreq()).expect(PacketType.PINGRESP); // the PUBCOMP was handled
        first.close();
        awaitOffline(dying, "completed");

        RefuseRemovingMessages.refusing = false; // the adopter's own writes go through
        killAndAwaitAdoption(1);
        RawClient resumed = clients.raw(adopter);
        assertThat(resumed.connect(Packets.connect("completed").cleanSession(false)).sessionPresent()).isTrue();

        assertThat(resumed.expect(PacketType.PUBREL).packetId()).isEqualTo(qos2.packetId());
        resumed.send(Packets.pubcomp(qos2.packetId())); // [MQTT-4.3.3-2]: a PUBREL is always answered
        publisher.publish(topic, "sentinel", 2);
        assertThat(resumed.expect(PacketType.PUBLISH).payload()).as("the next message, not the copy")
                .isEqualTo("sentinel");
    }

    @Test
    @DisplayName("[MQTT-4.4.0-1] a QoS 2 message in flight on the node that died comes again with its packet id when "
            + "the adopter also replays messages the dead node had not mirrored")
    void inFlightMessageKeepsItsPacketIdBesideReplayedOnes() throws Exception {
        start("takeover-packet-id");
        // the node dies before recording how far it mirrored its ring buffer, and one message never reaches the
        // mirror: the adopter replays it from the ring buffer
        cluster.hazelcast(adopter).getMap(InboxProgress.MAP).addInterceptor(new RefuseWrites());
        cluster.hazelcast(adopter).getMap(SessionMirror.MESSAGES).addInterceptor(new RefuseMessage("unmirrored"));
        String topic = "takeover/packet-id";
        RawClient first = subscribedOnDyingNode("packet-id", topic, 2);
        Paho5 publisher = clients.paho(other, "publisher-packet-id");
        publisher.publish(topic, "done", 2);
        first.completeQos2Receipt(first.expect(PacketType.PUBLISH));
        publisher.publish(topic, "in flight", 2);
        Packet inFlight = first.expect(PacketType.PUBLISH);
        assertThat(inFlight.payload()).isEqualTo("in flight");
        first.close();
        awaitOffline(dying, "packet-id");
        publisher.publish(topic, "unmirrored", 2);

        killAndAwaitAdoption(1);
        RawClient resumed = clients.raw(adopter);
        assertThat(resumed.connect(Packets.connect("packet-id").cleanSession(false)).sessionPresent()).isTrue();

        Packet again = resumed.expect(PacketType.PUBLISH);
        assertThat(again.payload()).isEqualTo("in flight");
        assertThat(again.dup()).isTrue();
        assertThat(again.packetId()).as("its packet id: under another one it is a new message").isEqualTo(
                inFlight.packetId());
        Packet replayed = resumed.expect(PacketType.PUBLISH); // both go out on connecting
        assertThat(replayed.payload()).isEqualTo("unmirrored");
        assertThat(replayed.packetId()).isNotEqualTo(inFlight.packetId());
        resumed.completeQos2Receipt(again).completeQos2Receipt(replayed);
        resumed.send(Packets.pingreq()).expect(PacketType.PINGRESP);
        assertThat(cluster.session(adopter, "packet-id").inflight()).as("nothing left in flight").isZero();
    }

    @Test
    @DisplayName("[MQTT-4.3.3-2] a QoS 2 message goes out to its client once the cluster holds it: when its node dies "
            + "before, the adopter's copy is the one the client gets, not a second one under another packet id")
    void qos2MessageGoesOutOnceTheClusterHoldsIt() throws Exception {
        start("takeover-held");
        HoldMessage.arm();
        cluster.hazelcast(adopter).getMap(SessionMirror.MESSAGES).addInterceptor(new HoldMessage("held back"));
        String topic = "takeover/held";
        RawClient first = subscribedOnDyingNode("held", topic, 2);
        Paho5 publisher = clients.paho(other, "publisher-held");
        publisher.publish(topic, "held back", 2); // acknowledged: it is in the ring buffer of the node that dies
        assertThat(HoldMessage.entered.await(PATIENCE.toSeconds(), TimeUnit.SECONDS)).isTrue();
        patiently().until(() -> cluster.session(dying, "held").queued() + cluster.session(dying, "held").inflight()
                == 1); // the session has it
        assertThat(cluster.session(dying, "held").inflight()).as("sent while the cluster lacks it").isZero();
        first.send(Packets.pingreq()).expect(PacketType.PINGRESP); // not the message
        first.close();
        awaitOffline(dying, "held");

        cluster.kill(dying);
        HoldMessage.release.countDown(); // the write is refused: the mirror never gets the message
        patiently().until(() -> cluster.counter(adopter, "cluster.sessions.adopted") >= 1);
        RawClient resumed = clients.raw(adopter);
        assertThat(resumed.connect(Packets.connect("held").cleanSession(false)).sessionPresent()).isTrue();

        Packet replayed = resumed.expect(PacketType.PUBLISH);
        assertThat(replayed.payload()).isEqualTo("held back");
        resumed.completeQos2Receipt(replayed);
        publisher.publish(topic, "sentinel", 2);
        assertThat(resumed.expect(PacketType.PUBLISH).payload()).isEqualTo("sentinel");
    }

    @Test
    @DisplayName("[MQTT-4.3.3-1] [MQTT-4.3.3-2] a QoS 2 message the dead node had queued, which the adopter (its own "
            + "subscriber on the same filter) reads from its own ring buffer only after the adoption, reaches the "
            + "resumed session once")
    void queuedMessageReadLateByTheAdopterComesOnce() throws Exception {
        start("takeover-lagging");
        String topic = "takeover/lagging";
        Paho5 plain = subscribedSeenBy(adopter, "plain-lagging", topic, other);
        subscribedOnDyingNode("lagging", topic, 2).close();
        awaitOffline(dying, "lagging");
        // the adopter reads its own ring buffer late: what the third node sends both nodes is routed there only
        // after the adoption, when the session is in the adopter's tree
        Object adopterInbox = HeldEvents.inbox(cluster.memberId(adopter));
        HeldEvents.hold(adopterInbox);
        try {
            Paho5 publisher = clients.paho(other, "publisher-lagging");
            List<String> sent = List.of("q1", "q2", "q3");
            for (String payload : sent) {
                publisher.publish(topic, payload, 2);
            }
            patiently().until(() -> mirrored(dying, "lagging") == sent.size()); // queued, and in the mirror
            long filters = cluster.counter(other, "cluster.subscriptions.remote_filters");
            long dropped = cluster.counter(adopter, "cluster.sessions.takeover_copies_dropped");

            killAndAwaitAdoption(1);
            // the third node sends the session's messages to the adopter alone from now on
            patiently().until(() -> cluster.counter(other, "cluster.subscriptions.remote_filters") < filters);
            HeldEvents.release(adopterInbox);
            publisher.publish(topic, "end", 2);
            assertThat(payloads(plain.next(sent.size() + 1))).containsExactly("q1", "q2", "q3", "end");

            RawClient resumed = clients.raw(adopter);
            assertThat(resumed.connect(Packets.connect("lagging").cleanSession(false)).sessionPresent()).isTrue();
            assertThat(receiveQos2Through(resumed, "end")).as("each once, in order")
                    .containsExactly("q1", "q2", "q3", "end");
            assertThat(cluster.counter(adopter, "cluster.sessions.takeover_copies_dropped"))
                    .as("the adopter's own copies, dropped").isEqualTo(dropped + sent.size());
        } finally {
            HeldEvents.release(adopterInbox);
        }
    }

    private void start(String name) {
        cluster = ThreeNodes.withStores(name, 3, stores);
        adopter = cluster.oldest();
        dying = (adopter + 1) % 3;
        other = (adopter + 2) % 3;
    }

    /** A Paho client on {@code node} subscribed to {@code topic} at QoS 2, once node {@code seenBy} knows its filter. */
    private Paho5 subscribedSeenBy(int node, String id, String topic, int seenBy) throws Exception {
        long known = cluster.counter(seenBy, "cluster.subscriptions.remote_added");
        Paho5 subscriber = clients.paho(node, id).subscribe(topic, 2);
        patiently().until(() -> cluster.counter(seenBy, "cluster.subscriptions.remote_added") > known);
        return subscriber;
    }

    /**
     * A raw client of the persistent session {@code id} on the node that dies, subscribed to {@code topic}; returns
     * once the third node knows the filter (so that it sends the messages there).
     */
    private RawClient subscribedOnDyingNode(String id, String topic, int qos) {
        long known = cluster.counter(other, "cluster.subscriptions.remote_added");
        RawClient first = clients.raw(dying).connectAccepted(Packets.connect(id).cleanSession(false))
                .subscribe(topic, qos);
        patiently().until(() -> cluster.counter(other, "cluster.subscriptions.remote_added") > known);
        return first;
    }

    private void killAndAwaitAdoption(int sessions) {
        cluster.kill(dying);
        patiently().until(() -> cluster.counter(adopter, "cluster.sessions.adopted") >= sessions);
    }

    /** Awaits, ignoring what the cluster's own threads throw (the refused writes, the dead node's member). */
    private static org.awaitility.core.ConditionFactory patiently() {
        return await().atMost(PATIENCE).dontCatchUncaughtExceptions();
    }

    private static List<String> numbered(String prefix) {
        List<String> expected = new ArrayList<>(IntStream.rangeClosed(1, 30).mapToObj(i -> prefix + i).toList());
        expected.add(prefix + "-end");
        return expected;
    }

    /** The messages of {@code node}'s session {@code id} in the cluster's mirror. */
    private int mirrored(int node, String id) {
        return cluster.hazelcast(adopter).<String, byte[]>getMap(SessionMirror.MESSAGES)
                .keySet(new SessionMirror.KeyPrefix(cluster.memberId(node) + id + '\0')).size();
    }

    /**
     * The QoS 2 messages the client gets until {@code last} and any that follow before a PINGRESP, answering each
     * PUBLISH with PUBREC and each PUBREL with PUBCOMP as they come (the broker sends the next PUBLISH before the
     * PUBREL of the previous one).
     */
    private static List<String> receiveQos2Through(RawClient client, String last) {
        List<String> received = new ArrayList<>();
        for (int packets = 0; packets < 1_000; packets++) {
            Packet p = client.poll(PATIENCE).orElseThrow(() -> new AssertionError("only " + received));
            if (p.type() == PacketType.PUBLISH) {
                assertThat(p.qos()).isEqualTo(2);
                received.add(p.payload());
                client.send(Packets.pubrec(p.packetId()));
                if (p.payload().equals(last)) {
                    client.send(Packets.pingreq());
                }
            } else if (p.type() == PacketType.PUBREL) {
                client.send(Packets.pubcomp(p.packetId()));
            } else if (p.type() == PacketType.PINGRESP) {
                return received;
            }
        }
        throw new AssertionError("no end: " + received);
    }

    private static List<String> payloads(List<Paho5.Received> received) {
        return received.stream().map(Paho5.Received::payload).toList();
    }

    private void awaitOffline(int node, String id) {
        patiently().until(() -> !cluster.session(node, id).connected());
    }

    /** A map interceptor that lets everything through: each test's own overrides what it stops. */
    abstract static class PassingInterceptor implements MapInterceptor {
        private static final long serialVersionUID = 1L;

        @Override public Object interceptGet(Object value) { return null; }
        @Override public void afterGet(Object value) { }
        @Override public Object interceptPut(Object oldValue, Object newValue) { return null; }
        @Override public void afterPut(Object value) { }
        @Override public Object interceptRemove(Object removedValue) { return null; }
        @Override public void afterRemove(Object value) { }
    }

    /** The directory keeps every entry: no node learns that the dead node's filters left. */
    static final class RefuseRemovals extends PassingInterceptor {
        private static final long serialVersionUID = 1L;

        @Override
        public Object interceptRemove(Object removedValue) {
            throw new IllegalStateException("test: the directory keeps its entries");
        }
    }

    /**
     * The client's acknowledgements never reach the mirror, until {@link #refusing} is cleared: no message leaves
     * it, and no tombstone is written.
     */
    static final class RefuseRemovingMessages extends PassingInterceptor {
        private static final long serialVersionUID = 1L;
        /** Static: each member holds its own copy of the interceptor. */
        static volatile boolean refusing = true;

        @Override
        public Object interceptPut(Object oldValue, Object newValue) {
            if (refusing && MirrorValue.isTombstone((byte[]) newValue)) {
                throw new IllegalStateException("test: no tombstone is recorded");
            }
            return null;
        }

        @Override
        public Object interceptRemove(Object removedValue) {
            if (refusing) {
                throw new IllegalStateException("test: nothing leaves the mirror");
            }
            return null;
        }
    }

    /** The mirror never gets the message whose payload is {@code payload}. */
    static final class RefuseMessage extends PassingInterceptor {
        private static final long serialVersionUID = 1L;
        private final String payload;

        RefuseMessage(String payload) {
            this.payload = payload;
        }

        @Override
        public Object interceptPut(Object oldValue, Object newValue) {
            if (new String((byte[]) newValue, StandardCharsets.ISO_8859_1).contains(payload)) {
                throw new IllegalStateException("test: '" + payload + "' is not mirrored");
            }
            return null;
        }
    }

    /**
     * The first mirror write of the message whose payload is {@code payload} waits for {@link #release}, then is
     * refused: the message is never mirrored, and while it waits the cluster does not hold it.
     */
    static final class HoldMessage extends PassingInterceptor {
        private static final long serialVersionUID = 1L;
        /** Static: each member holds its own copy of the interceptor. */
        static volatile CountDownLatch entered;
        static volatile CountDownLatch release;
        private static final AtomicBoolean ARMED = new AtomicBoolean();
        private final String payload;

        HoldMessage(String payload) {
            this.payload = payload;
        }

        static void arm() {
            entered = new CountDownLatch(1);
            release = new CountDownLatch(1);
            ARMED.set(true);
        }

        @Override
        public Object interceptPut(Object oldValue, Object newValue) {
            if (new String((byte[]) newValue, StandardCharsets.ISO_8859_1).contains(payload)
                    && ARMED.getAndSet(false)) {
                entered.countDown();
                try {
                    release.await(PATIENCE.toSeconds(), TimeUnit.SECONDS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
                throw new IllegalStateException("test: '" + payload + "' is not mirrored");
            }
            return null;
        }
    }

    /** No write reaches the map. */
    static final class RefuseWrites extends PassingInterceptor {
        private static final long serialVersionUID = 1L;

        @Override
        public Object interceptPut(Object oldValue, Object newValue) {
            throw new IllegalStateException("test: nothing is recorded");
        }
    }
}
