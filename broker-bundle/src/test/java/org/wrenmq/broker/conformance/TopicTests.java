package org.wrenmq.broker.conformance;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.Optional;

import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/** OASIS MQTT 3.1.1 chapter 4.7: topic names, topic filters, wildcards and $-topics. */
@DisplayName("4.7 Topic names and topic filters")
class TopicTests {
    /** Matched by no filter of the table below except its own exact subscription. */
    private static final String SENTINEL = "zz-sentinel";

    @RegisterExtension
    final BrokerExtension broker = new BrokerExtension();

    @ParameterizedTest(name = "filter \"{0}\" and topic \"{1}\": match = {2}")
    @CsvSource(delimiter = '|', value = {
            "sport/tennis/player1/#   | sport/tennis/player1                | true",
            "sport/tennis/player1/#   | sport/tennis/player1/ranking        | true",
            "sport/tennis/player1/#   | sport/tennis/player1/score/wimbledon | true",
            "sport/#                  | sport                               | true",
            "#                        | sport/tennis                        | true",
            "sport/tennis/+           | sport/tennis/player1                | true",
            "sport/tennis/+           | sport/tennis/player1/ranking        | false",
            "sport/+                  | sport                               | false",
            "sport/+                  | sport/                              | true",
            "+/+                      | /finance                            | true",
            "/+                       | /finance                            | true",
            "+                        | /finance                            | false",
            "+/tennis/#               | sport/tennis/player1                | true",
            "+/temperature            | floor-5/temperature                 | true",
            "floor-5/#                | floor-5/temperature                 | true",
            "/finance                 | finance                             | false",
            "ACCOUNTS                 | Accounts                            | false",
            "#                        | $app/status                         | false",
            "+/status                 | $app/status                         | false",
            "+/#                      | $app/status                         | false",
            "$app/+                   | $app/status                         | true",
            "$app/#                   | $app/status                         | true"})
    @DisplayName("[MQTT-4.7.1-1] [MQTT-4.7.1-2] [MQTT-4.7.1-3] [MQTT-4.7.2-1] '+' matches one level, '#' the parent and any children, neither a leading '$'")
    void wildcardMatching(String filter, String topic, boolean matches) throws Exception {
        PahoClient subscriber = broker.pahoConnected("sub");
        subscriber.subscribe(filter, 1);
        subscriber.subscribe(SENTINEL, 1);
        PahoClient publisher = broker.pahoConnected("pub");

        publisher.publish(topic, "probe", 1);
        publisher.publish(SENTINEL, "sentinel", 1);

        String first = subscriber.next().topic();
        assertThat(first).as("first message received").isEqualTo(matches ? topic : SENTINEL);
    }

    @ParameterizedTest(name = "filter \"{0}\"")
    @ValueSource(strings = {"a/#/b", "a#", "a/b#", "a/+b", "+a", "#/", ""})
    @DisplayName("[MQTT-4.7.1-2] [MQTT-4.7.1-3] [MQTT-4.7.3-1] an invalid topic filter is not granted: SUBACK 0x80 or the connection closed")
    void invalidTopicFilterIsNotGranted(String filter) {
        RawClient client = broker.rawConnected("sub", true);

        client.send(Packets.subscribe(1, filter, 1));

        Optional<Packet> answer = client.nextUnlessClosed(); // closing is allowed [MQTT-4.8.0-1]
        if (answer.isPresent()) {
            assertThat(answer.get().subackReturnCodes()).containsExactly(0x80);
        }
    }

    @ParameterizedTest(name = "topic \"{0}\"")
    @ValueSource(strings = {"a/+", "a/#", "#", "+", "a/b+", ""})
    @DisplayName("[MQTT-3.3.2-2] [MQTT-4.7.3-1] a PUBLISH to a topic name with a wildcard or of zero length closes the connection")
    void publishToInvalidTopicNameClosesConnection(String topic) throws Exception {
        PahoClient subscriber = broker.pahoConnected("sub");
        subscriber.subscribe("#", 0);
        RawClient publisher = broker.rawConnected("pub", true);

        publisher.send(Packets.publish(topic, "bad", 0, 0));

        publisher.expectClosedByBroker();
        subscriber.expectNothingFor(Duration.ofMillis(300));
    }
}
