package org.wrenmq.broker.conformance;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import java.nio.file.Path;
import java.util.Map;

import org.eclipse.paho.client.mqttv3.MqttConnectOptions;
import org.eclipse.paho.client.mqttv3.MqttException;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.wrenmq.broker.BrokerStartException;
import org.wrenmq.broker.testing.PacketType;
import org.wrenmq.broker.testing.SecurityFiles;

/**
 * The acl_file (mosquitto's syntax) and password_file through MQTT 3.1.1 clients: what is refused at SUBSCRIBE,
 * dropped at PUBLISH, filtered at delivery, and what a reload changes. "Not delivered" is proven by a later
 * message that does arrive, never by a timeout alone.
 */
@DisplayName("acl_file and password_file, MQTT 3.1.1")
class AclTests {
    @RegisterExtension
    final BrokerExtension broker = new BrokerExtension();

    @TempDir
    Path dir;

    private Path acl(String... lines) {
        Path file = SecurityFiles.acl(dir.resolve("acl"), lines);
        broker.set("acl_file", file.toString());
        return file;
    }

    private Path passwords(Map<String, String> users) {
        Path file = SecurityFiles.passwords(dir.resolve("passwd"), users);
        broker.set("password_file", file.toString());
        return file;
    }

    private PahoClient login(String clientId, String user, String password) throws MqttException {
        MqttConnectOptions options = PahoClient.options(PahoClient.MQTT_3_1_1, true);
        options.setUserName(user);
        options.setPassword(password.toCharArray());
        PahoClient client = broker.paho(clientId);
        client.connect(options);
        return client;
    }

    private long counter(String name) {
        return broker.broker().counters().get(name);
    }

    @Test
    @DisplayName("[MQTT-3.9.3-1] SUBSCRIBE to a filter nothing under which may be read gets 0x80 for that filter only")
    void subscribeToUnreadableFilterGets0x80() {
        acl("topic readwrite test/#", "topic deny test/nosubscribe");
        RawClient client = broker.rawConnected("sub", true);

        client.send(Packets.subscribe(3, new String[] {"test/ok", "test/nosubscribe", "other/x"}, new int[] {1, 1, 0}));

        assertThat(client.expect(PacketType.SUBACK).subackReturnCodes()).containsExactly(1, 0x80, 0x80);
        assertThat(counter("acl.denied.subscribe")).isEqualTo(2);
    }

    @Test
    @DisplayName("a PUBLISH the client may not write is acknowledged as 3.1.1 requires and not routed")
    void deniedPublishIsAcknowledgedAndDropped() throws Exception {
        acl("topic read #", "topic write allowed/#");
        PahoClient subscriber = broker.pahoConnected("sub");
        subscriber.subscribe("#", 2);
        PahoClient publisher = broker.pahoConnected("pub");

        publisher.publish("forbidden/a", "q0", 0);
        publisher.publish("forbidden/b", "q1", 1);
        publisher.publish("forbidden/c", "q2", 2);
        publisher.publish("allowed/x", "sentinel", 1);

        assertThat(subscriber.next().payload()).isEqualTo("sentinel");
        assertThat(publisher.isConnected()).isTrue();
        assertThat(counter("acl.denied.publish")).isEqualTo(3);
    }

    @Test
    @DisplayName("a wildcard filter partly readable is granted; delivery leaves out what may not be read")
    void partlyReadableWildcardIsFilteredAtDelivery() throws Exception {
        acl("topic read a/open/#", "topic write a/#");
        PahoClient subscriber = broker.pahoConnected("sub");
        assertThat(subscriber.subscribe("a/#", 1)).isEqualTo(1);
        PahoClient publisher = broker.pahoConnected("pub");

        publisher.publish("a/secret", "hidden", 1);
        publisher.publish("a/open/1", "visible", 1);

        assertThat(subscriber.next().payload()).isEqualTo("visible");
        assertThat(counter("acl.denied.delivery")).isEqualTo(1);
    }

    @Test
    @DisplayName("retained messages reach a new subscriber only on topics it may read")
    void retainedMessagesAreFilteredByReadRights() throws Exception {
        acl("topic write r/#", "topic read r/public/#");
        PahoClient publisher = broker.pahoConnected("pub");
        publisher.publish("r/secret", "hidden", 1, true);
        publisher.publish("r/public/1", "visible", 1, true);

        PahoClient subscriber = broker.pahoConnected("sub");
        subscriber.subscribe("r/#", 1);

        Received first = subscriber.next();
        assertThat(first.payload()).isEqualTo("visible");
        assertThat(first.retained()).isTrue();
        publisher.publish("r/public/2", "sentinel", 1);
        assertThat(subscriber.next().payload()).isEqualTo("sentinel");
    }

    @Test
    @DisplayName("a will on a topic its client may not write is not published")
    void willOnDeniedTopicIsNotPublished() throws Exception {
        acl("topic read #", "topic write ok/#");
        PahoClient watcher = broker.pahoConnected("watcher");
        watcher.subscribe("#", 1);
        PahoClient dying = broker.paho("dying");
        MqttConnectOptions options = PahoClient.options(PahoClient.MQTT_3_1_1, true);
        options.setWill("forbidden/will", "gone".getBytes(), 1, false);
        dying.connect(options);

        dying.dropConnection();
        await().until(() -> counter("acl.denied.will") == 1);
        broker.pahoConnected("pub").publish("ok/after", "sentinel", 1);

        assertThat(watcher.next().payload()).isEqualTo("sentinel");
    }

    @Test
    @DisplayName("users get their own block, anonymous clients the lines before the first user line, %u and %c patterns all")
    void usersAnonymousAndPatterns() throws Exception {
        passwords(Map.of("alice", "wonder", "bob", "builder"));
        broker.set("allow_anonymous", "true");
        acl("topic read public/#",
                "user alice",
                "topic readwrite alice/#",
                "topic read public/#",
                "user bob",
                "topic write public/#",
                "pattern write devices/%c/#",
                "pattern read inbox/%u");
        PahoClient alice = login("alice-phone", "alice", "wonder");
        PahoClient anonymous = broker.pahoConnected("anon");
        PahoClient bob = login("bob-pc", "bob", "builder");
        assertThat(alice.subscribe("public/#", 1)).isEqualTo(1);
        assertThat(anonymous.subscribe("public/#", 1)).isEqualTo(1);
        assertThat(anonymous.subscribe("alice/#", 1)).isEqualTo(0x80);
        assertThat(bob.subscribe("inbox/bob", 1)).isEqualTo(1);
        assertThat(bob.subscribe("inbox/alice", 1)).isEqualTo(0x80);
        assertThat(bob.subscribe("public/#", 1)).as("bob may only write public").isEqualTo(0x80);

        bob.publish("public/news", "from bob", 1);
        assertThat(alice.next().payload()).isEqualTo("from bob");
        assertThat(anonymous.next().payload()).isEqualTo("from bob");

        alice.publish("inbox/bob", "not alice's to write", 1);
        bob.publish("devices/bob-pc/temp", "own device", 1);
        bob.publish("devices/other/temp", "not bob's device", 1);
        alice.publish("devices/alice-phone/x", "alice device", 1);
        alice.subscribe("alice/#", 1);
        alice.publish("alice/self", "sentinel", 1);
        assertThat(alice.next().payload()).isEqualTo("sentinel");
        assertThat(counter("acl.denied.publish")).isEqualTo(2);
    }

    @Test
    @DisplayName("$SYS topics need a $SYS rule: '#' does not grant them")
    void sysTopicsNeedTheirOwnRule() {
        broker.set("sys_interval", "1");
        acl("topic read #", "user ops", "topic read $SYS/#");
        RawClient anonymous = broker.rawConnected("anon", true);

        anonymous.send(Packets.subscribe(1, "$SYS/#", 0));

        assertThat(anonymous.expect(PacketType.SUBACK).subackReturnCodes()).containsExactly(0x80);
    }

    @Test
    @DisplayName("an acl_file error stops the start with FILE:LINE")
    void badAclFileStopsTheStart() {
        Path file = acl("topic read ok", "topic sometimes bad");

        assertThatThrownBy(broker::broker).isInstanceOf(BrokerStartException.class)
                .hasMessage(file + ":2: access must be read, write, readwrite or deny, not 'sometimes'");
    }

    @Test
    @DisplayName("reload: a new user and rule work at once, a subscriber keeps receiving, a bad file changes nothing")
    void reloadAddsUserAndRuleWhileSubscriberKeepsReceiving() throws Exception {
        broker.set("allow_anonymous", "false");
        Path passwd = passwords(Map.of("watcher", "w"));
        Path acl = acl("user watcher", "topic read feed/#", "topic read late/#");
        PahoClient watcher = login("watcher", "watcher", "w");
        watcher.subscribe("feed/#", 1);
        watcher.subscribe("late/#", 1);

        SecurityFiles.passwords(passwd, Map.of("watcher", "w", "newcomer", "n"));
        SecurityFiles.acl(acl, "user watcher", "topic read feed/#", "topic read late/#",
                "user newcomer", "topic write feed/#");
        assertThat(broker.broker().reload()).isTrue();

        PahoClient newcomer = login("newcomer", "newcomer", "n");
        newcomer.publish("feed/1", "hello after reload", 1);
        assertThat(watcher.next().payload()).isEqualTo("hello after reload");

        SecurityFiles.acl(acl, "user watcher", "topic read feed/#", "topic wrong line");
        assertThat(broker.broker().reload()).as("bad file refused").isFalse();
        newcomer.publish("feed/2", "old rules still in force", 1);
        assertThat(watcher.next().payload()).isEqualTo("old rules still in force");
        assertThat(watcher.isConnected()).isTrue();
    }

    @Test
    @DisplayName("reload: a subscriber whose read right was removed no longer gets those messages")
    void reloadRemovingReadRightStopsDelivery() throws Exception {
        Path acl = acl("topic readwrite a/#", "topic readwrite b/#");
        PahoClient subscriber = broker.pahoConnected("sub");
        subscriber.subscribe("a/#", 1);
        subscriber.subscribe("b/#", 1);
        PahoClient publisher = broker.pahoConnected("pub");
        publisher.publish("a/1", "before", 1);
        assertThat(subscriber.next().payload()).isEqualTo("before");

        SecurityFiles.acl(acl, "topic write a/#", "topic readwrite b/#");
        assertThat(broker.broker().reload()).isTrue();
        publisher.publish("a/1", "no longer readable (the same topic: no cached decision survives)", 1);
        publisher.publish("b/1", "sentinel", 1);

        assertThat(subscriber.next().payload()).isEqualTo("sentinel");
    }

    @Test
    @DisplayName("messages queued for a persistent session go out only if the client now connected may read them")
    void queuedMessagesAreCheckedAgainstTheReconnectingClient() throws Exception {
        broker.set("persistence", "true");
        passwords(Map.of("alice", "a", "bob", "b", "writer", "w"));
        acl("user alice", "topic read a/#", "topic read b/#", "user bob", "topic read b/#", "user writer",
                "topic write #");
        PahoClient device = loginPersistent("device", "alice", "a");
        assertThat(device.subscribe("a/#", 1)).isEqualTo(1);
        assertThat(device.subscribe("b/#", 1)).isEqualTo(1);
        device.disconnect();
        login("writer", "writer", "w").publish("a/queued", "for alice only", 1);
        broker.restart();

        PahoClient again = loginPersistent("device", "bob", "b");
        login("writer2", "writer", "w").publish("b/now", "sentinel", 1);

        assertThat(again.next().payload()).isEqualTo("sentinel");
    }

    private PahoClient loginPersistent(String clientId, String user, String password) throws MqttException {
        MqttConnectOptions options = PahoClient.options(PahoClient.MQTT_3_1_1, false);
        options.setUserName(user);
        options.setPassword(password.toCharArray());
        PahoClient client = broker.paho(clientId);
        client.connect(options);
        return client;
    }

    @Test
    @DisplayName("200 wrong passwords in a row are each refused with CONNACK 5; the broker stays healthy")
    void manyWrongPasswordsAreRefusedAndBrokerStaysHealthy() throws Exception {
        passwords(Map.of("user", "right"));
        broker.set("allow_anonymous", "false");
        acl("user user", "topic bystander/#");
        PahoClient bystanderClient = login("bystander", "user", "right");
        Bystander bystander = new Bystander(bystanderClient);

        for (int i = 0; i < 200; i++) {
            try (RawClient client = RawClient.open(broker.port())) {
                assertThat(client.connect(Packets.connect("guess" + i).credentials("user", "wrong" + i))
                        .connackReturnCode()).as("attempt %d", i).isEqualTo(5);
            }
        }

        bystander.assertStillServed();
        assertThat(login("late", "user", "right").isConnected()).isTrue();
        assertThat(counter("connections.refused.auth")).isEqualTo(200);
    }
}
