package org.wrenmq.broker.conformance;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;

import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.wrenmq.broker.testing.PacketType;

/** OASIS MQTT 3.1.1 chapters 3.8-3.11 (SUBSCRIBE, SUBACK, UNSUBSCRIBE, UNSUBACK) and 3.3.5 (overlapping matches). */
@DisplayName("3.8-3.11 SUBSCRIBE, SUBACK, UNSUBSCRIBE, UNSUBACK")
class SubscribeTests {
    /** How long a test waits to be sure a packet that must not come does not come. */
    private static final Duration QUIET = Duration.ofMillis(500);

    @RegisterExtension
    final BrokerExtension broker = new BrokerExtension();

    @Test
    @DisplayName("[MQTT-3.8.4-1] [MQTT-3.8.4-2] [MQTT-3.8.4-4] [MQTT-3.8.4-5] [MQTT-2.3.1-7] one SUBACK with the packet id and a code per filter, in order")
    void subackCarriesPacketIdAndOneCodePerFilter() {
        RawClient client = broker.rawConnected("sub", true);

        client.send(Packets.subscribe(42, new String[] {"a/0", "a/1", "a/2"}, new int[] {0, 1, 2}));

        Packet suback = client.expect(PacketType.SUBACK);
        assertThat(suback.packetId()).isEqualTo(42);
        assertThat(suback.subackReturnCodes()).containsExactly(0, 1, 2);
    }

    @Test
    @DisplayName("[MQTT-3.8.4-3] subscribing again to the same filter replaces the subscription and its QoS")
    void resubscribingReplacesTheSubscription() throws Exception {
        RawClient subscriber = broker.rawConnected("sub", true).subscribe("a/b", 0);
        subscriber.subscribe("a/b", 2);

        broker.pahoConnected("pub").publish("a/b", "m", 2);

        Packet publish = subscriber.expect(PacketType.PUBLISH);
        assertThat(publish.qos()).isEqualTo(2);
        subscriber.completeQos2Receipt(publish).expectNothingFor(QUIET);
    }

    @Test
    @DisplayName("[MQTT-3.3.5-1] overlapping subscriptions deliver one copy at the highest granted QoS")
    void overlappingSubscriptionsDeliverOneCopyAtHighestQos() throws Exception {
        RawClient subscriber = broker.rawConnected("sub", true);
        subscriber.send(Packets.subscribe(1, new String[] {"a/+", "a/#", "+/b"}, new int[] {0, 2, 1}));
        assertThat(subscriber.expect(PacketType.SUBACK).subackReturnCodes()).containsExactly(0, 2, 1);
        PahoClient publisher = broker.pahoConnected("pub");

        publisher.publish("a/b", "one", 2);

        Packet publish = subscriber.expect(PacketType.PUBLISH);
        assertThat(publish.payload()).isEqualTo("one");
        assertThat(publish.qos()).isEqualTo(2);
        subscriber.completeQos2Receipt(publish).expectNothingFor(QUIET);
    }

    @Test
    @DisplayName("[MQTT-3.10.4-1] [MQTT-3.10.4-2] [MQTT-3.10.4-4] [MQTT-2.3.1-7] UNSUBSCRIBE is acknowledged with its packet id and stops delivery")
    void unsubscribeStopsDelivery() throws Exception {
        PahoClient subscriber = broker.pahoConnected("sub");
        subscriber.subscribe("a/b", 1);
        subscriber.subscribe("sentinel", 1);
        RawClient raw = broker.rawConnected("raw", true).subscribe("a/b", 1);

        raw.send(Packets.unsubscribe(77, "a/b"));
        assertThat(raw.expect(PacketType.UNSUBACK).packetId()).isEqualTo(77);
        subscriber.unsubscribe("a/b");
        PahoClient publisher = broker.pahoConnected("pub");
        publisher.publish("a/b", "gone", 1);
        publisher.publish("sentinel", "next", 1);

        assertThat(subscriber.next().payload()).isEqualTo("next");
        raw.expectNothingFor(QUIET);
    }

    @Test
    @DisplayName("[MQTT-3.10.4-1] [MQTT-3.10.4-5] UNSUBSCRIBE compares filters character by character; an unknown filter still gets UNSUBACK")
    void unsubscribeMatchesFiltersLiterally() throws Exception {
        RawClient subscriber = broker.rawConnected("sub", true).subscribe("a/+", 1);

        subscriber.send(Packets.unsubscribe(5, "a/b"));
        assertThat(subscriber.expect(PacketType.UNSUBACK).packetId()).isEqualTo(5);
        broker.pahoConnected("pub").publish("a/b", "still", 1);

        assertThat(subscriber.expect(PacketType.PUBLISH).payload()).isEqualTo("still");
    }

    @Test
    @DisplayName("[MQTT-3.10.4-6] an UNSUBSCRIBE of several filters removes all of them with one UNSUBACK")
    void unsubscribeOfSeveralFiltersGetsOneUnsuback() throws Exception {
        RawClient subscriber = broker.rawConnected("sub", true);
        subscriber.send(Packets.subscribe(1, new String[] {"x/1", "x/2", "keep"}, new int[] {1, 1, 1}));
        subscriber.expect(PacketType.SUBACK);

        subscriber.send(Packets.unsubscribe(2, "x/1", "x/2"));
        assertThat(subscriber.expect(PacketType.UNSUBACK).packetId()).isEqualTo(2);
        PahoClient publisher = broker.pahoConnected("pub");
        publisher.publish("x/1", "no", 1);
        publisher.publish("x/2", "no", 1);
        publisher.publish("keep", "yes", 1);

        assertThat(subscriber.expect(PacketType.PUBLISH).payload()).isEqualTo("yes");
    }

    @Test
    @DisplayName("4.7.1 '*' is no wildcard: a filter ending in '/*' is granted and matches only a level named '*'")
    void filterEndingInStarIsGrantedAndMatchesLiterally() throws Exception {
        RawClient subscriber = broker.rawConnected("seed", true).subscribe("building-b/*", 1);
        PahoClient publisher = broker.pahoConnected("pub");

        publisher.publish("building-b/floor-1", "not for a '*' level", 1);
        publisher.publish("building-b/*", "literal '*' level", 1);

        assertThat(subscriber.expect(PacketType.PUBLISH).payload()).isEqualTo("literal '*' level");
        subscriber.expectNothingFor(QUIET);
    }

    @Test
    @DisplayName("a '/*' filter is hinted in the log once per client, suggesting '#'")
    void starFilterIsHintedOncePerClient() {
        ByteArrayOutputStream log = new ByteArrayOutputStream();
        PrintStream original = System.err;
        System.setErr(new PrintStream(new Tee(original, log), true, StandardCharsets.UTF_8));
        try {
            broker.rawConnected("seed-1", true).subscribe("building-b/*", 0).subscribe("building-c/*", 0);
            broker.rawConnected("seed-2", true).subscribe("x/*", 0);
        } finally {
            System.setErr(original);
        }

        String printed = log.toString(StandardCharsets.UTF_8);
        assertThat(printed.lines().filter(line -> line.contains("is not a wildcard in MQTT"))).hasSize(2);
        assertThat(printed).contains("INFO").contains("subscribe to 'building-b/#'").contains("subscribe to 'x/#'")
                .doesNotContain("building-c/#");
    }

    /** Writes to both streams: the test reads the log and the console still shows it. */
    private static final class Tee extends OutputStream {
        private final OutputStream one;
        private final OutputStream two;

        Tee(OutputStream one, OutputStream two) {
            this.one = one;
            this.two = two;
        }

        @Override
        public synchronized void write(int b) throws java.io.IOException {
            one.write(b);
            two.write(b);
        }

        @Override
        public synchronized void write(byte[] b, int off, int len) throws java.io.IOException {
            one.write(b, off, len);
            two.write(b, off, len);
        }
    }
}
