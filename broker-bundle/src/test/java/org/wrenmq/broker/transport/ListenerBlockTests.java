package org.wrenmq.broker.transport;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.wrenmq.broker.Broker;
import org.wrenmq.broker.BrokerConfig;
import org.wrenmq.broker.ConfigException;
import org.wrenmq.broker.ListenerConfig;
import org.wrenmq.broker.ListenerConfig.Protocol;

@DisplayName("listener blocks in mosquitto's config syntax")
class ListenerBlockTests {
    @RegisterExtension
    final Listening listening = new Listening();
    @TempDir
    Path dir;

    private BrokerConfig parse(String conf) throws Exception {
        return BrokerConfig.parse(Files.writeString(dir.resolve("wrenmq.conf"), conf));
    }

    @Test
    @DisplayName("settings after a listener line belong to that listener")
    void settingsFollowTheirListener() throws Exception {
        List<ListenerConfig> listeners = parse("listener 1883\n"
                + "listener 8883 127.0.0.1\ncafile ca.crt\ncertfile s.crt\nkeyfile s.key\nrequire_certificate true\n"
                + "use_identity_as_username true\ntls_version tlsv1.2\nmax_connections 5\n"
                + "listener 9001\nprotocol websockets\nsocket_domain ipv4\n").listeners();

        assertThat(listeners).hasSize(3);
        assertThat(listeners.get(0).isTls()).isFalse();
        ListenerConfig mtls = listeners.get(1);
        assertThat(mtls.bindAddress()).isEqualTo("127.0.0.1");
        assertThat(mtls.tls().requireCertificate()).isTrue();
        assertThat(mtls.tls().useIdentityAsUsername()).isTrue();
        assertThat(mtls.tls().tlsVersion()).isEqualTo("tlsv1.2");
        assertThat(mtls.maxConnections()).isEqualTo(5);
        assertThat(listeners.get(2).protocol()).isEqualTo(Protocol.WEBSOCKETS);
        assertThat(listeners.get(2).socketDomain()).isEqualTo(ListenerConfig.SocketDomain.IPV4);
        assertThat(listeners.get(2).maxConnections()).isEqualTo(-1);
    }

    @Test
    @DisplayName("listener settings before any listener line make mosquitto's default listener on port 1883")
    void defaultListener() throws Exception {
        List<ListenerConfig> listeners = parse("protocol websockets\nlistener 1884\n").listeners();
        assertThat(listeners).extracting(ListenerConfig::port).containsExactly(1883, 1884);
        assertThat(listeners.get(0).protocol()).isEqualTo(Protocol.WEBSOCKETS);
    }

    @Test
    @DisplayName("errors name the file and line: a bad value, and a block without keyfile (the listener's line)")
    void errorsNameFileAndLine() throws Exception {
        assertThatThrownBy(() -> parse("listener 1883\nprotocol carrier-pigeon\n"))
                .isInstanceOf(ConfigException.class).hasMessageContaining("wrenmq.conf:2: ")
                .hasMessageContaining("protocol must be mqtt or websockets");
        assertThatThrownBy(() -> parse("listener 1883\n\nlistener 8883\ncertfile s.crt\n"))
                .isInstanceOf(ConfigException.class).hasMessageContaining("wrenmq.conf:3: listener 8883: ")
                .hasMessageContaining("keyfile");
        assertThatThrownBy(() -> parse("listener 8883\ntls_version tlsv1.1\n"))
                .hasMessageContaining("wrenmq.conf:2: ").hasMessageContaining("tlsv1.2 or tlsv1.3");
        assertThatThrownBy(() -> parse("allow_anonymous true\nper_listener_settings true\n"))
                .hasMessageContaining("wrenmq.conf:2: ").hasMessageContaining("per_listener_settings must come before");
        assertThatThrownBy(() -> parse("listener 8883\ncertfile a\nkeyfile b\nuse_identity_as_username true\n"))
                .hasMessageContaining("wrenmq.conf:1: ").hasMessageContaining("require_certificate true");
    }

    @Test
    @DisplayName("Karaf/Config Admin form: listener.NAME.SETTING keys make one listener per NAME")
    void mapForm() {
        BrokerConfig config = BrokerConfig.fromMap(Map.of("port", "1883", "allow_anonymous", "true",
                "listener.tls.port", "8883", "listener.tls.certfile", "s.crt", "listener.tls.keyfile", "s.key",
                "listener.web.port", "9001", "listener.web.bind_address", "127.0.0.1",
                "listener.web.protocol", "websockets", "felix.fileinstall.filename", "file:/etc/x.cfg"));

        assertThat(config.listeners()).extracting(ListenerConfig::port).containsExactly(1883, 8883, 9001);
        assertThat(config.listeners().get(1).tls().certfile()).isEqualTo(Path.of("s.crt"));
        assertThat(config.listeners().get(2).protocol()).isEqualTo(Protocol.WEBSOCKETS);
        assertThat(config.listeners().get(2).bindAddress()).isEqualTo("127.0.0.1");
        assertThat(config.allowAnonymous()).isTrue();
        assertThatThrownBy(() -> BrokerConfig.fromMap(Map.of("listener.tls.certfile", "s.crt")))
                .hasMessageContaining("listener.tls.port is missing");
        assertThatThrownBy(() -> BrokerConfig.fromMap(Map.of("listener.tls.port", "8883",
                "listener.tls.certfile", "s.crt"))).hasMessageContaining("listener.tls: listener 8883: ")
                .hasMessageContaining("keyfile");
    }

    @Test
    @DisplayName("per_listener_settings true: allow_anonymous belongs to its listener")
    void perListenerAnonymous() throws Exception {
        Broker broker = listening.start(dir, "per_listener_settings true\n"
                + "listener 0 127.0.0.1\nallow_anonymous true\n"
                + "listener 0 127.0.0.1\nallow_anonymous false\n");
        try (Paho open = new Paho("tcp://127.0.0.1:" + Listening.port(broker, 0), "open").connect(null)) {
            assertThat(open.isConnected()).isTrue();
        }
        assertThatThrownBy(() -> new Paho("tcp://127.0.0.1:" + Listening.port(broker, 1), "closed").connect(null))
                .hasMessageContaining("Not authorized");
    }

    @Test
    @DisplayName("per_listener_settings true: acl_file belongs to its listener, a listener without one allows all")
    void perListenerAclFile() throws Exception {
        Path acl = Files.writeString(dir.resolve("open.acl"), "topic readwrite open/#\n");
        Broker broker = listening.start(dir, "per_listener_settings true\n"
                + "listener 0 127.0.0.1\nallow_anonymous true\nacl_file " + acl + "\n"
                + "listener 0 127.0.0.1\nallow_anonymous true\n");
        String guarded = "tcp://127.0.0.1:" + Listening.port(broker, 0);
        String free = "tcp://127.0.0.1:" + Listening.port(broker, 1);
        try (Paho subscriber = new Paho(free, "watcher").connect(null).subscribe("secret/#").subscribe("open/#");
             Paho limited = new Paho(guarded, "limited").connect(null);
             Paho unlimited = new Paho(free, "unlimited").connect(null)) {
            limited.publish("secret/x", "denied by the first listener's acl_file");
            limited.publish("open/x", "sentinel");
            assertThat(subscriber.next()).as("the denied message never came before the sentinel")
                    .isEqualTo("sentinel");
            unlimited.publish("secret/x", "allowed");
            assertThat(subscriber.next()).isEqualTo("allowed");
        }
        assertThat(broker.counters()).containsEntry("acl.denied.publish", 1L);
    }

    @Test
    @DisplayName("per_listener_settings false (default): allow_anonymous applies to every listener wherever it is")
    void globalAnonymous() throws Exception {
        Broker broker = listening.start(dir, "listener 0 127.0.0.1\nlistener 0 127.0.0.1\nallow_anonymous true\n");
        for (int i = 0; i < 2; i++) {
            try (Paho client = new Paho("tcp://127.0.0.1:" + Listening.port(broker, i), "c" + i).connect(null)) {
                assertThat(client.isConnected()).isTrue();
            }
        }
    }

    @Test
    @DisplayName("max_connections inside a block limits that listener only")
    void listenerMaxConnections() throws Exception {
        Broker broker = listening.start(dir, "allow_anonymous true\nlistener 0 127.0.0.1\nmax_connections 1\n"
                + "listener 0 127.0.0.1\n");
        try (Paho first = new Paho("tcp://127.0.0.1:" + Listening.port(broker, 0), "first").connect(null);
             Paho other = new Paho("tcp://127.0.0.1:" + Listening.port(broker, 1), "other").connect(null)) {
            assertThatThrownBy(() -> new Paho("tcp://127.0.0.1:" + Listening.port(broker, 0), "second").connect(null));
            assertThat(broker.counters()).containsEntry("connections.refused.max_connections", 1L);
            assertThat(other.isConnected()).isTrue();
        }
    }
}
