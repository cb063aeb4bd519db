package org.wrenmq.it.clients;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.wrenmq.broker.Broker;
import org.wrenmq.it.support.ClientProcess;
import org.wrenmq.it.support.Mosquitto;

/**
 * A mosquitto password file (made by mosquitto_passwd) and acl_file, unchanged, with Debian's mosquitto_pub and
 * mosquitto_sub at MQTT 3.1.1 and 5: the same clients receive the same messages on WrenMQ as on mosquitto 2.0
 * itself, run side by side on the same files. Where WrenMQ differs on purpose (a SUBSCRIBE nothing under which may
 * be read is refused) the test says so. A subscriber is done when its own sentinel message arrives.
 */
@DisplayName("acl_file and password_file with mosquitto_pub/sub: WrenMQ and mosquitto agree")
class AclFileIT {
    private static final Duration PATIENCE = ClientProcess.PATIENCE;
    private static final String[] ACL = {
        "# anonymous clients",
        "topic read public/#",
        "",
        "user alice",
        "topic readwrite alice/#",
        "topic deny alice/secret",
        "topic read public/#",
        "topic read devices/#",
        "topic readwrite floor 1/#",
        "user bob",
        "topic write public/#",
        "user admin",
        "topic write sentinel/#",
        "topic write alice/#",
        "topic write inbox/#",
        "pattern readwrite devices/%c/#",
        "pattern read inbox/%u",
        "pattern read sentinel/%c",
    };
    /** Who each subscriber (client id, user) receives, whichever broker runs the files. */
    private static final Map<String, Set<String>> EXPECTED = Map.of(
            "sub-alice", Set.of("p1", "p3", "p6", "p8", "p9"),
            "sub-bob", Set.of("p10"),
            "sub-anon", Set.of("p1"));

    @TempDir
    Path dir;

    @RegisterExtension
    final Launched launched = new Launched();
    private Broker wrenmq;
    private int port;

    @AfterEach
    void stopEverything() throws InterruptedException {
        launched.closeAll();
        if (wrenmq != null) {
            wrenmq.close();
        }
    }

    @ParameterizedTest(name = "{0}, MQTT {1}")
    @CsvSource({"wrenmq, 311", "wrenmq, 5", "mosquitto, 311", "mosquitto, 5"})
    @DisplayName("each user, the anonymous section, %c and %u patterns, deny and a filter with a space")
    void sameDeliveriesOnBothBrokers(String broker, String version) throws Exception {
        start(broker);
        Map<String, ClientProcess> subscribers = new LinkedHashMap<>();
        subscribers.put("sub-alice", subscribe(version, "sub-alice", "alice", "#"));
        subscribers.put("sub-bob", subscribe(version, "sub-bob", "bob", "#"));
        subscribers.put("sub-anon", subscribe(version, "sub-anon", null, "#"));

        publish(version, "bob", "public/news", "p1");
        publish(version, "alice", "public/x", "p2");
        publish(version, "alice", "alice/notes", "p3");
        publish(version, "alice", "alice/secret", "p4");
        publish(version, "bob", "inbox/alice", "p5");
        publishAs(version, "dev1", null, "devices/dev1/t", "p6");
        publishAs(version, "dev1", null, "devices/dev2/t", "p7");
        publish(version, "alice", "floor 1/room", "p8");
        publish(version, "admin", "alice/news", "p9");
        publish(version, "admin", "inbox/bob", "p10");
        for (String id : subscribers.keySet()) {
            publish(version, "admin", "sentinel/" + id, "end");
        }

        for (Map.Entry<String, ClientProcess> s : subscribers.entrySet()) {
            ClientProcess sub = s.getValue();
            await().atMost(PATIENCE).until(() -> payloads(sub.output()).contains("end"));
            Set<String> received = payloads(sub.output());
            received.remove("end");
            assertThat(received).as("%s on %s, output:%n%s", s.getKey(), broker, sub.output())
                    .isEqualTo(EXPECTED.get(s.getKey()));
        }
    }

    @Test
    @DisplayName("differs on purpose: WrenMQ refuses a SUBSCRIBE nothing under which may be read (mosquitto 2.0 grants it)")
    void unreadableFilterIsRefusedAtSubscribe() throws Exception {
        start("wrenmq");
        String v311 = client("mosquitto_sub", "-d", "-V", "mqttv311", "-u", "bob", "-P", "b", "-t", "alice/#",
                "-C", "1", "-W", "5").awaitExitOutput();
        String v5 = client("mosquitto_sub", "-d", "-V", "mqttv5", "-u", "bob", "-P", "b", "-t", "alice/#",
                "-C", "1", "-W", "5").awaitExitOutput();

        assertThat(v311).contains("Subscribed (mid: 1): 128");
        assertThat(v5).contains("Subscribed (mid: 1): 135");
    }

    @ParameterizedTest(name = "{0}, MQTT {1}")
    @CsvSource({"wrenmq, 311", "wrenmq, 5", "mosquitto, 311", "mosquitto, 5"})
    @DisplayName("a wrong password is refused by both")
    void wrongPasswordIsRefused(String broker, String version) throws Exception {
        start(broker);
        ClientProcess pub = client("mosquitto_pub", "-V", protocol(version), "-u", "alice", "-P", "wrong",
                "-t", "alice/x", "-m", "x");

        assertThat(pub.awaitExit()).isNotZero();
        assertThat(pub.output()).contains("Connection error");
    }

    private void start(String broker) throws Exception {
        Path passwd = dir.resolve("passwd");
        mosquittoPasswd("-c", "-b", passwd.toString(), "alice", "a");
        mosquittoPasswd("-b", passwd.toString(), "bob", "b");
        mosquittoPasswd("-b", passwd.toString(), "admin", "x");
        Path acl = Files.writeString(dir.resolve("acl"), String.join("\n", ACL) + "\n");
        if (broker.equals("wrenmq")) {
            wrenmq = Broker.builder().listener(0, "127.0.0.1").set("allow_anonymous", "true")
                    .set("password_file", passwd.toString()).set("acl_file", acl.toString())
                    .set("persistence", "false").build().start();
            port = wrenmq.port();
            return;
        }
        Assumptions.assumeTrue(Mosquitto.installed(), "mosquitto is installed (Debian package mosquitto)");
        port = launched.mosquitto(dir, "allow_anonymous true", "password_file " + passwd, "acl_file " + acl).port();
    }

    private void mosquittoPasswd(String... args) throws InterruptedException {
        List<String> command = new ArrayList<>(List.of("mosquitto_passwd"));
        command.addAll(List.of(args));
        launched.track(ClientProcess.start(dir, command)).awaitSuccess();
    }

    /** A mosquitto_sub whose output is line-buffered (stdbuf), so that each message shows as it comes. */
    private ClientProcess subscribe(String version, String clientId, String user, String filter) {
        List<String> command = new ArrayList<>(List.of("stdbuf", "-oL", "mosquitto_sub", "-h", "127.0.0.1",
                "-p", Integer.toString(port), "-V", protocol(version), "-d", "-v", "-q", "1", "-i", clientId,
                "-t", filter, "-W", Long.toString(PATIENCE.toSeconds())));
        credentials(command, user);
        ClientProcess sub = launched.track(ClientProcess.start(dir, command));
        await().atMost(PATIENCE).until(() -> sub.output().contains("Subscribed (mid: 1): 1"));
        return sub;
    }

    private void publish(String version, String user, String topic, String payload) throws InterruptedException {
        publishAs(version, "pub-" + user, user, topic, payload);
    }

    private void publishAs(String version, String clientId, String user, String topic, String payload)
            throws InterruptedException {
        List<String> command = new ArrayList<>(List.of("mosquitto_pub", "-h", "127.0.0.1", "-p",
                Integer.toString(port), "-V", protocol(version), "-q", "1", "-i", clientId, "-t", topic,
                "-m", payload));
        credentials(command, user);
        // a denied MQTT 5 publish makes mosquitto_pub print a warning (PUBACK 0x87); it still ends normally
        launched.track(ClientProcess.start(dir, command)).awaitExit();
    }

    private static void credentials(List<String> command, String user) {
        if (user != null) {
            command.addAll(List.of("-u", user, "-P", Map.of("alice", "a", "bob", "b", "admin", "x").get(user)));
        }
    }

    private static String protocol(String version) {
        return version.equals("5") ? "mqttv5" : "mqttv311";
    }

    /** The payloads in mosquitto_sub -v -d output: the last word of each line that is not a debug line. */
    private static Set<String> payloads(String output) {
        Set<String> out = new TreeSet<>();
        output.lines().filter(l -> !l.startsWith("Client ") && !l.startsWith("Subscribed") && !l.isBlank())
                .forEach(l -> out.add(l.substring(l.lastIndexOf(' ') + 1)));
        return out;
    }

    private ClientProcess client(String program, String... args) {
        List<String> command = new ArrayList<>(List.of(program, "-h", "127.0.0.1", "-p", Integer.toString(port)));
        command.addAll(List.of(args));
        return launched.track(ClientProcess.start(dir, command));
    }

}
