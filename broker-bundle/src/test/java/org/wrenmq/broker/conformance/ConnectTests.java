package org.wrenmq.broker.conformance;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;

import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.wrenmq.broker.auth.PasswordFileWriter;
import org.wrenmq.broker.testing.PacketType;

/** OASIS MQTT 3.1.1 chapters 3.1 CONNECT and 3.2 CONNACK, and MQTT 3.1's CONNECT ("MQIsdp"). */
@DisplayName("3.1 CONNECT, 3.2 CONNACK")
class ConnectTests {
    private static final String USER = "alice";
    private static final String PASSWORD = "s3cret";

    @RegisterExtension
    final BrokerExtension broker = new BrokerExtension();

    @TempDir
    Path dir;

    @Test
    @DisplayName("[MQTT-3.2.0-1] an MQTT 3.1.1 CONNECT is answered first with CONNACK 0")
    void mqtt311ConnectIsAccepted() {
        RawClient client = broker.raw();

        Packet connack = client.connect(Packets.connect("c311"));

        assertThat(connack.connackReturnCode()).isZero();
        client.send(Packets.pingreq()).expect(PacketType.PINGRESP);
    }

    @Test
    @DisplayName("[MQTT-3.2.0-1] an MQTT 3.1 CONNECT (protocol MQIsdp, level 3) is answered with CONNACK 0")
    void mqtt31ConnectIsAccepted() {
        RawClient client = broker.raw();

        Packet connack = client.connect(Packets.connect("c31").mqtt31());

        assertThat(connack.connackReturnCode()).isZero();
        client.send(Packets.pingreq()).expect(PacketType.PINGRESP);
    }

    @Test
    @DisplayName("[MQTT-3.1.2-2] [MQTT-3.2.2-4] [MQTT-3.2.2-5] an unsupported protocol level gets CONNACK 1, then the broker closes")
    void unsupportedProtocolLevelIsRefusedWithCode1() {
        RawClient client = broker.raw();

        Packet connack = client.connect(Packets.connect("future").protocol("MQTT", 9));

        assertThat(connack.connackReturnCode()).isEqualTo(1);
        assertThat(connack.sessionPresent()).isFalse();
        client.expectClosedByBroker();
    }

    @Test
    @DisplayName("[MQTT-3.1.3-6] [MQTT-3.1.3-7] a zero-length client id with clean session is accepted")
    void zeroLengthClientIdWithCleanSessionIsAccepted() {
        RawClient client = broker.raw();

        Packet connack = client.connect(Packets.connect("").cleanSession(true));

        assertThat(connack.connackReturnCode()).isZero();
        client.subscribe("anonymous/+", 0);
        client.send(Packets.publish("anonymous/id", "hi", 0, 0));
        assertThat(client.expect(PacketType.PUBLISH).payload()).isEqualTo("hi");
    }

    @Test
    @DisplayName("[MQTT-3.1.3-8] [MQTT-3.2.2-4] [MQTT-3.2.2-5] a zero-length client id with a persistent session gets CONNACK 2, then the broker closes")
    void zeroLengthClientIdWithPersistentSessionIsRefusedWithCode2() {
        RawClient client = broker.raw();

        Packet connack = client.connect(Packets.connect("").cleanSession(false));

        assertThat(connack.connackReturnCode()).isEqualTo(2);
        assertThat(connack.sessionPresent()).isFalse();
        client.expectClosedByBroker();
    }

    @ParameterizedTest(name = "client id \"{0}\"")
    @ValueSource(strings = {"", "0123456789abcdefghijklmn"})
    @DisplayName("MQTT 3.1 (CONNECT payload): a client id that is empty or longer than 23 characters gets CONNACK 2")
    void mqtt31ClientIdOutsideOneTo23CharactersIsRefusedWithCode2(String clientId) {
        RawClient client = broker.raw();

        Packet connack = client.connect(Packets.connect(clientId).mqtt31());

        assertThat(connack.connackReturnCode()).isEqualTo(2);
        client.expectClosedByBroker();
    }

    @Test
    @DisplayName("[MQTT-3.1.3-5] a 23-character client id made of every allowed kind of character is accepted")
    void clientIdOfAllowedCharactersIsAccepted() {
        Packet connack = broker.raw().connect(Packets.connect("0123456789azAZbyBYcxCXd"));

        assertThat(connack.connackReturnCode()).isZero();
    }

    @Test
    @DisplayName("3.2.2.3 a user from password_file with the right password is accepted (raw 3.1.1 and Paho 3.1)")
    void knownUserWithRightPasswordIsAccepted() throws Exception {
        requireLogin();

        Packet connack = broker.raw().connect(Packets.connect("raw").credentials(USER, PASSWORD));
        assertThat(connack.connackReturnCode()).isZero();

        var options = PahoClient.options(PahoClient.MQTT_3_1, true);
        options.setUserName(USER);
        options.setPassword(PASSWORD.toCharArray());
        PahoClient paho = broker.paho("paho31");
        paho.connect(options);
        assertThat(paho.isConnected()).isTrue();
    }

    @Test
    @DisplayName("[MQTT-3.2.2-4] [MQTT-3.2.2-5] a wrong password gets CONNACK 5 (as mosquitto 2), then the broker closes")
    void wrongPasswordIsRefusedWithCode5() throws Exception {
        requireLogin();
        RawClient client = broker.raw();

        Packet connack = client.connect(Packets.connect("guess").credentials(USER, "wrong"));

        assertThat(connack.connackReturnCode()).isEqualTo(5);
        assertThat(connack.sessionPresent()).isFalse();
        client.expectClosedByBroker();
    }

    @Test
    @DisplayName("[MQTT-3.2.2-4] [MQTT-3.2.2-5] an unknown user name gets CONNACK 5 (as mosquitto 2), then the broker closes")
    void unknownUserIsRefusedWithCode5() throws Exception {
        requireLogin();
        RawClient client = broker.raw();

        Packet connack = client.connect(Packets.connect("stranger").credentials("mallory", PASSWORD));

        assertThat(connack.connackReturnCode()).isEqualTo(5);
        client.expectClosedByBroker();
    }

    @Test
    @DisplayName("[MQTT-3.2.2-4] [MQTT-3.2.2-5] an anonymous client gets CONNACK 5 when allow_anonymous is false")
    void anonymousClientIsRefusedWithCode5WhenNotAllowed() throws Exception {
        requireLogin();
        RawClient client = broker.raw();

        Packet connack = client.connect(Packets.connect("anon"));

        assertThat(connack.connackReturnCode()).isEqualTo(5);
        assertThat(connack.sessionPresent()).isFalse();
        client.expectClosedByBroker();
    }

    @Test
    @DisplayName("[MQTT-3.1.2-22] a password without a user name is a protocol violation: the broker closes")
    void passwordWithoutUserNameClosesConnection() {
        RawClient client = broker.raw();

        client.send(Packets.connect("half").credentials(null, PASSWORD).bytes());

        client.expectClosedByBroker();
    }

    @Test
    @DisplayName("[MQTT-3.1.2-14] a will QoS of 3 is a protocol violation: the broker closes")
    void willQos3ClosesConnection() {
        RawClient client = broker.raw();

        client.send(Packets.connect("will3").will("w/t", "gone", 3, false).bytes());

        client.expectClosedByBroker();
    }

    /** Turns login on: a password file made by WrenMQ's passwd tool (mosquitto's format), anonymous clients refused. */
    private void requireLogin() throws Exception {
        Path file = dir.resolve("passwd");
        new PasswordFileWriter().create(file, USER, PASSWORD);
        broker.set("password_file", file.toString()).set("allow_anonymous", "false");
    }
}
