package org.wrenmq.broker.conformance;

import java.util.HexFormat;
import java.util.Random;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * OASIS MQTT 3.1.1 section 4.8 (protocol violations close the connection) with 1.5.3 (UTF-8 strings) and 2.2
 * (fixed header): each bad input closes only the connection it came on; a bystander connected before keeps being
 * served.
 */
@DisplayName("4.8 Bad input closes only its own connection")
class BadInputTests {
    @RegisterExtension
    final BrokerExtension broker = new BrokerExtension();

    private Bystander bystander;

    @BeforeEach
    void connectBystander() throws Exception {
        bystander = broker.bystander();
    }

    @Test
    @DisplayName("[MQTT-4.8.0-1] a remaining length of more than four bytes closes the connection")
    void malformedRemainingLengthClosesConnection() throws Exception {
        RawClient client = broker.rawConnected("bad", true);

        client.send(HexFormat.of().parseHex("30ffffffff01"));

        client.expectClosedByBroker();
        bystander.assertStillServed();
    }

    @ParameterizedTest(name = "{0}: {1}")
    @CsvSource({
            "PUBREL with flags 0000 [MQTT-3.6.1-1],         60020001",
            "SUBSCRIBE with flags 0000 [MQTT-3.8.1-1],      8006000100016100",
            "UNSUBSCRIBE with flags 0000 [MQTT-3.10.1-1],   a0050001000161",
            "PINGREQ with flags 0001 [MQTT-2.2.2-2],        c100",
            "DISCONNECT with flags 0001 [MQTT-2.2.2-2],     e100",
            "PUBACK with flags 0001 [MQTT-2.2.2-2],         41020001",
            "PUBLISH with QoS 3 [MQTT-3.3.1-4],             3606000161000178",
            "reserved packet type 0 [MQTT-2.2.2-2],         0000",
            "reserved packet type 15 [MQTT-2.2.2-2],        f000",
            "SUBSCRIBE without a filter [MQTT-3.8.3-3],     82020001",
            "SUBSCRIBE asking for QoS 3 [MQTT-3.8.3-4],     8206000100016103",
            "UNSUBSCRIBE without a filter [MQTT-3.10.3-2],  a2020001"})
    @DisplayName("[MQTT-2.2.2-1] [MQTT-2.2.2-2] reserved flag bits or values set close the connection")
    void reservedBitsCloseConnection(String what, String hex) throws Exception {
        RawClient client = broker.rawConnected("bad", true);

        client.send(HexFormat.of().parseHex(hex));

        client.expectClosedByBroker();
        bystander.assertStillServed();
    }

    @Test
    @DisplayName("[MQTT-3.1.2-3] a CONNECT with its reserved flag set closes the connection")
    void connectWithReservedFlagClosesConnection() throws Exception {
        RawClient client = broker.raw();

        client.send(Packets.connect("bad").reservedFlagSet().bytes());

        client.expectClosedByBroker();
        bystander.assertStillServed();
    }

    @ParameterizedTest(name = "topic bytes {0}")
    @ValueSource(strings = {
            "612fc328", // "a/" then a broken two-byte sequence
            "612fc0af", // overlong encoding of '/'
            "612feda080", // UTF-16 surrogate U+D800 encoded in UTF-8
            "612fff"}) // a byte never valid in UTF-8
    @DisplayName("[MQTT-1.5.3-1] a topic that is not well-formed UTF-8 closes the connection")
    void invalidUtf8TopicClosesConnection(String topicHex) throws Exception {
        RawClient client = broker.rawConnected("bad", true);

        client.send(Packets.publish(HexFormat.of().parseHex(topicHex), Packets.utf8("x"), 0, false, false, 0));

        client.expectClosedByBroker();
        bystander.assertStillServed();
    }

    @Test
    @DisplayName("[MQTT-1.5.3-1] a topic filter that is not well-formed UTF-8 closes the connection")
    void invalidUtf8TopicFilterClosesConnection() throws Exception {
        RawClient client = broker.rawConnected("bad", true);

        client.send(HexFormat.of().parseHex("820800010003612fc301"));

        client.expectClosedByBroker();
        bystander.assertStillServed();
    }

    @ParameterizedTest(name = "in a {0}")
    @ValueSource(strings = {"PUBLISH topic", "SUBSCRIBE filter"})
    @DisplayName("[MQTT-1.5.3-2] U+0000 in a topic closes the connection")
    void nullCharacterInTopicClosesConnection(String where) throws Exception {
        RawClient client = broker.rawConnected("bad", true);

        client.send(where.startsWith("PUBLISH")
                ? Packets.publish("a/\u0000b", "x", 0, 0)
                : Packets.subscribe(1, "a/\u0000b", 0));

        client.expectClosedByBroker();
        bystander.assertStillServed();
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource({
            "PUBLISH,    300600036162630a",
            "SUBSCRIBE,  8206000100016100",
            "PINGREQ,    c000"})
    @DisplayName("[MQTT-3.1.0-1] a packet other than CONNECT first closes the connection")
    void packetBeforeConnectClosesConnection(String what, String hex) throws Exception {
        RawClient client = broker.raw();

        client.send(HexFormat.of().parseHex(hex));

        client.expectClosedByBroker();
        bystander.assertStillServed();
    }

    @Test
    @DisplayName("[MQTT-3.1.0-2] a second CONNECT closes the connection")
    void secondConnectClosesConnection() throws Exception {
        RawClient client = broker.rawConnected("twice", true);

        client.send(Packets.connect("twice").bytes());

        client.expectClosedByBroker();
        bystander.assertStillServed();
    }

    @Test
    @DisplayName("[MQTT-4.8.0-1] a PUBLISH shorter than its own topic length closes the connection")
    void truncatedPublishClosesConnection() throws Exception {
        RawClient client = broker.rawConnected("short", true);

        client.send(HexFormat.of().parseHex("300300ff61"));

        client.expectClosedByBroker();
        bystander.assertStillServed();
    }

    @Test
    @DisplayName("[MQTT-4.8.0-1] an HTTP request instead of CONNECT closes the connection")
    void httpRequestClosesConnection() throws Exception {
        RawClient client = broker.raw();

        client.send(Packets.utf8("GET / HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n"));

        client.expectClosedByBroker();
        bystander.assertStillServed();
    }

    @ParameterizedTest(name = "after CONNECT: {0}")
    @ValueSource(booleans = {false, true})
    @DisplayName("[MQTT-4.8.0-1] random bytes starting with a reserved packet type close the connection")
    void garbageBytesCloseConnection(boolean afterConnect) throws Exception {
        RawClient client = afterConnect ? broker.rawConnected("noise", true) : broker.raw();
        byte[] garbage = new byte[256];
        new Random(20261125).nextBytes(garbage);
        garbage[0] = 0x0F; // packet type 0: reserved, never valid

        client.send(garbage);

        client.expectClosedByBroker();
        bystander.assertStillServed();
    }
}
