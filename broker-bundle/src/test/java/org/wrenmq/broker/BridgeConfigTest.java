package org.wrenmq.broker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.wrenmq.broker.BridgeConfig.Direction;
import org.wrenmq.broker.BridgeConfig.Topic;

/** mosquitto's {@code connection} blocks: every key, mosquitto's defaults, and errors that name file and line. */
class BridgeConfigTest {
    @TempDir
    Path dir;

    @Test
    void aMinimalBlockGetsMosquittosDefaults() throws IOException {
        BridgeConfig b = only("connection cloud\naddress broker.example.com\ntopic sensors/# out 1\n");

        assertThat(b.name()).isEqualTo("cloud");
        assertThat(b.addresses()).containsExactly(new BridgeConfig.Address("broker.example.com", 1883));
        assertThat(b.remoteClientId()).endsWith(".cloud");
        assertThat(b.localClientId()).isEqualTo("local." + b.remoteClientId());
        assertThat(b.cleanSession()).isFalse();
        assertThat(b.localCleanSession()).isFalse();
        assertThat(b.protocolVersion()).isEqualTo(4);
        assertThat(b.keepaliveSeconds()).isEqualTo(60);
        assertThat(b.restartBaseSeconds()).isEqualTo(5);
        assertThat(b.restartCapSeconds()).isEqualTo(30);
        assertThat(b.startType()).isEqualTo(BridgeConfig.StartType.AUTOMATIC);
        assertThat(b.notifications()).isTrue();
        assertThat(b.notificationTopic()).isEqualTo("$SYS/broker/connection/" + b.remoteClientId() + "/state");
        assertThat(b.tryPrivate()).isTrue();
        assertThat(b.outgoingRetain()).isTrue();
        assertThat(b.maxPacketSize()).isZero();
        assertThat(b.tls()).isNull();
        assertThat(b.topics()).containsExactly(new Topic("sensors/#", Direction.OUT, 1, null, null));
    }

    @Test
    void everyKeyOfTheIssueIsRead() throws IOException {
        Files.writeString(dir.resolve("ca.crt"), "x");
        BridgeConfig b = only("connection edge\n"
                + "address 10.0.0.1:1884 10.0.0.2\n"
                + "round_robin true\n"
                + "topic # both 2 local/ remote/\n"
                + "topic \"\" in 1 cmd/in cloud/cmd\n"
                + "remote_clientid edge-1\nremote_username u\nremote_password p\n"
                + "cleansession true\nlocal_clientid edge-local\n"
                + "bridge_protocol_version mqttv50\nkeepalive_interval 30\nrestart_timeout 2 40\n"
                + "start_type lazy\nidle_timeout 10\nthreshold 3\n"
                + "notifications false\nnotification_topic edge/state\nnotifications_local_only true\n"
                + "try_private false\nbridge_outgoing_retain false\nbridge_max_packet_size 1000\n"
                + "bridge_attempt_unsubscribe false\n"
                + "bridge_cafile " + dir.resolve("ca.crt") + "\nbridge_insecure true\nbridge_tls_version tlsv1.3\n");

        assertThat(b.addresses()).containsExactly(new BridgeConfig.Address("10.0.0.1", 1884),
                new BridgeConfig.Address("10.0.0.2", 1883));
        assertThat(b.roundRobin()).isTrue();
        assertThat(b.topics()).containsExactly(new Topic("#", Direction.BOTH, 2, "local/", "remote/"),
                new Topic(null, Direction.IN, 1, "cmd/in", "cloud/cmd"));
        assertThat(b.topics().get(1).localFilter()).isEqualTo("cmd/in");
        assertThat(b.topics().get(1).remoteFilter()).isEqualTo("cloud/cmd");
        assertThat(b.remoteClientId()).isEqualTo("edge-1");
        assertThat(b.remoteUsername()).isEqualTo("u");
        assertThat(b.remotePassword()).isEqualTo("p");
        assertThat(b.cleanSession()).isTrue();
        assertThat(b.localCleanSession()).as("follows cleansession").isTrue();
        assertThat(b.localClientId()).isEqualTo("edge-local");
        assertThat(b.protocolVersion()).isEqualTo(5);
        assertThat(b.keepaliveSeconds()).isEqualTo(30);
        assertThat(b.restartBaseSeconds()).isEqualTo(2);
        assertThat(b.restartCapSeconds()).isEqualTo(40);
        assertThat(b.startType()).isEqualTo(BridgeConfig.StartType.LAZY);
        assertThat(b.idleTimeoutSeconds()).isEqualTo(10);
        assertThat(b.threshold()).isEqualTo(3);
        assertThat(b.notifications()).isFalse();
        assertThat(b.notificationTopic()).isEqualTo("edge/state");
        assertThat(b.notificationsLocalOnly()).isTrue();
        assertThat(b.tryPrivate()).isFalse();
        assertThat(b.outgoingRetain()).isFalse();
        assertThat(b.maxPacketSize()).isEqualTo(1000);
        assertThat(b.attemptUnsubscribe()).isFalse();
        assertThat(b.tls().cafile()).isEqualTo(dir.resolve("ca.crt"));
        assertThat(b.tls().insecure()).isTrue();
        assertThat(b.tls().tlsVersion()).isEqualTo("tlsv1.3");
    }

    @Test
    void restartTimeoutWithOneNumberIsAConstantWait() throws IOException {
        BridgeConfig b = only("connection c\naddress h\ntopic a\nrestart_timeout 7\n");

        assertThat(b.restartBaseSeconds()).isEqualTo(7);
        assertThat(b.restartCapSeconds()).isZero();
    }

    @Test
    void keepaliveBelowFiveIsRaisedToFiveAsMosquittoDoes() throws IOException {
        assertThat(only("connection c\naddress h\ntopic a\nkeepalive_interval 1\n").keepaliveSeconds()).isEqualTo(5);
    }

    @Test
    void badLinesAreReportedWithFileAndLine() throws IOException {
        assertError("connection c\naddress h\ntopic a sideways\n", ":3: topic direction must be in, out or both, "
                + "not 'sideways'");
        assertError("connection c\naddress h\ntopic a out 3\n", ":3: topic QOS must be between 0 and 2, not 3");
        assertError("connection c\naddress h\ntopic \"\" out 1 a/\n", ":3: topic \"\" needs both a local and a "
                + "remote prefix (they are then the topics)");
        assertError("connection c\naddress h\ntopic a out 1 x/# \"\"\n", ":3: topic local prefix 'x/#' must not "
                + "contain + or #");
        assertError("connection c\naddress h\ntopic a/#/b\n", ":3: topic: local prefix and pattern make 'a/#/b', "
                + "not a valid topic filter");
        assertError("connection c\naddress h:99999\n", ":2: address port must be between 1 and 65535, not 99999");
        assertError("connection c\naddress h\ntopic a\nrestart_timeout 10 5\n", ":4: restart_timeout: the backoff "
                + "cap 5 is lower than the base 10");
        assertError("connection c\naddress h\ntopic a\nstart_type manual\n", ":4: start_type manual is not "
                + "supported (as in mosquitto)");
        assertError("connection c\naddress h\ntopic a\nbridge_protocol_version mqttv4\n", ":4: "
                + "bridge_protocol_version must be mqttv31, mqttv311 or mqttv50, not 'mqttv4'");
        assertError("connection c\naddress h\ntopic a\ncleansession maybe\n", ":4: cleansession must be true or "
                + "false, not 'maybe'");
        assertError("address h\n", ":1: address is a bridge setting: it belongs after a 'connection NAME' line");
        assertError("connection c\naddress h\ntopic a\nbridge_nonsense 1\n", ":4: unknown setting 'bridge_nonsense'");
        assertError("connection c\naddress h\ntopic a\nconnection c\n", ":4: connection c is given twice (bridge "
                + "names are unique)");
    }

    @Test
    void anIncompleteBlockIsReportedAtItsConnectionLine() throws IOException {
        assertError("listener 1883\nconnection c\ntopic a\n", ":2: connection c: no address given "
                + "(address HOST[:PORT] ...)");
        assertError("connection c\naddress h\n", ":1: connection c: no topic given (topic PATTERN [in|out|both] "
                + "[QOS] [LOCAL_PREFIX] [REMOTE_PREFIX])");
        assertError("connection a\naddress h\ntopic a\nlocal_clientid x\nconnection b\naddress h\ntopic b\n"
                + "local_clientid x\n", "connection b: local_clientid 'x' is also connection a's: set "
                + "local_clientid for one of them");
    }

    @Test
    void otherSettingsStillWorkAfterABlock() throws IOException {
        BrokerConfig c = BrokerConfig.parse(write("connection c\naddress h\ntopic a\nmax_qos 1\n"));

        assertThat(c.maxQos()).isEqualTo(1);
        assertThat(c.bridges()).hasSize(1);
    }

    private BridgeConfig only(String text) throws IOException {
        BrokerConfig c = BrokerConfig.parse(write(text));
        assertThat(c.bridges()).hasSize(1);
        return c.bridges().get(0);
    }

    private void assertError(String text, String message) throws IOException {
        Path conf = write(text);
        assertThatThrownBy(() -> BrokerConfig.parse(conf)).isInstanceOf(ConfigException.class)
                .hasMessageEndingWith(message).hasMessageStartingWith(conf.toString());
    }

    private Path write(String text) throws IOException {
        Path conf = dir.resolve("wrenmq.conf");
        Files.writeString(conf, text);
        return conf;
    }
}
