package org.wrenmq.it.clients;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.wrenmq.it.clients.MosquittoCli.count;
import static org.wrenmq.it.clients.MosquittoCli.messages;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.IntStream;

import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.wrenmq.it.support.ClientProcess;

/**
 * A mosquitto bridge configuration run by {@code ./wrenmq} against a real remote: Debian's mosquitto, and a second
 * {@code ./wrenmq}. Everything goes through mosquitto_pub and mosquitto_sub: out topics reach the remote with
 * their prefix, in topics reach local subscribers, a {@code both} topic does not loop, and QoS 1 messages
 * published while the remote is down arrive, in order, once it is back, also after a {@code kill -9} of WrenMQ.
 */
@DisplayName("bridges (connection blocks) from ./wrenmq to mosquitto and to a second ./wrenmq")
class BridgeIT {
    private static final Duration PATIENCE = ClientProcess.PATIENCE;
    /** The remote's persistent subscriber: it collects what the bridge forwards while it is offline. */
    private static final String WATCHER = "watcher";

    /** The broker at the other end of the bridge. */
    enum Remote { MOSQUITTO, WRENMQ }

    @TempDir
    Path dir;

    @RegisterExtension
    final Launched launched = new Launched();
    private int localPort;
    private int remotePort;
    private Path localConf;
    private ClientProcess local;
    private ClientProcess remote;
    private Remote remoteKind;


    @ParameterizedTest(name = "remote {0}")
    @EnumSource(Remote.class)
    @DisplayName("an out topic reaches the remote under its remote prefix; an in topic reaches local subscribers "
            + "without it")
    void outAndInTopicsAreRemapped(Remote kind) throws Exception {
        start(kind);
        ClientProcess atRemote = sub(remotePort, "-C", "1", "-t", "edge1/#");
        ClientProcess atLocal = sub(localPort, "-C", "1", "-t", "cmd/#");

        pub(localPort, "sensors/t1", "21.5");
        pub(remotePort, "edge1/cmd/valve", "open");

        assertThat(messages(atRemote)).containsExactly("edge1/sensors/t1 21.5");
        assertThat(messages(atLocal)).containsExactly("cmd/valve open");
    }

    @ParameterizedTest(name = "remote {0}")
    @EnumSource(Remote.class)
    @DisplayName("a both topic carries each message once each way: nothing comes back (proved by later sentinels)")
    void bothTopicDoesNotLoop(Remote kind) throws Exception {
        start(kind);
        ClientProcess atRemote = sub(remotePort, "-C", "4", "-t", "chat/#");
        ClientProcess atLocal = sub(localPort, "-C", "4", "-t", "chat/#");

        pub(localPort, "chat/a", "from-local");
        await().atMost(PATIENCE).until(() -> atRemote.output().contains("chat/a from-local"));
        pub(remotePort, "chat/b", "from-remote");
        await().atMost(PATIENCE).until(() -> atLocal.output().contains("chat/b from-remote"));
        // a looped copy would travel ahead of these on the same links, so it would be among the four lines
        pub(localPort, "chat/z", "sentinel-local");
        pub(remotePort, "chat/y", "sentinel-remote");

        List<String> expected = List.of("chat/a from-local", "chat/b from-remote", "chat/z sentinel-local",
                "chat/y sentinel-remote");
        assertThat(messages(atRemote)).containsExactlyInAnyOrderElementsOf(expected);
        assertThat(messages(atLocal)).containsExactlyInAnyOrderElementsOf(expected);
    }

    @ParameterizedTest(name = "remote {0}")
    @EnumSource(Remote.class)
    @DisplayName("QoS 1 messages published while the remote is stopped all arrive, in order, when it is back")
    void messagesPublishedWhileRemoteIsDownArriveLater(Remote kind) throws Exception {
        start(kind);
        registerWatcher();
        remote.stop();

        List<String> sent = publishNumbered(10);
        startRemote();

        assertThat(collectAtWatcher(sent.size())).containsExactlyElementsOf(sent);
    }

    @ParameterizedTest(name = "remote {0}")
    @EnumSource(Remote.class)
    @DisplayName("kill -9 of WrenMQ while the remote is stopped loses none of the waiting QoS 1 messages")
    void messagesSurviveKill9WhileRemoteIsDown(Remote kind) throws Exception {
        start(kind);
        registerWatcher();
        remote.stop();
        List<String> sent = publishNumbered(10);

        local.kill();
        local = startLocal(false);
        startRemote();

        assertThat(collectAtWatcher(sent.size())).containsExactlyElementsOf(sent);
    }

    @Test
    @DisplayName("the bridge's state is retained on $SYS/broker/connection/<remote_clientid>/state: 1 up, 0 down")
    void notificationsShowTheConnectionState() throws Exception {
        start(Remote.MOSQUITTO);
        String topic = "$SYS/broker/connection/edge1/state";
        assertThat(messages(sub(localPort, "-C", "1", "-t", topic))).containsExactly(topic + " 1");
        assertThat(messages(sub(remotePort, "-C", "1", "-t", topic))).containsExactly(topic + " 1");

        remote.stop();

        await().atMost(PATIENCE).until(() -> messages(sub(localPort, "-C", "1", "-t", topic))
                .equals(List.of(topic + " 0")));
    }

    // ---- the two brokers ----

    private void start(Remote kind) throws Exception {
        remoteKind = kind;
        int[] ports = Launched.freePorts(2);
        localPort = ports[0];
        remotePort = ports[1];
        startRemote();
        localConf = Files.writeString(dir.resolve("edge.conf"), "listener " + localPort + " 127.0.0.1\n"
                + "allow_anonymous true\n"
                + "persistence_location " + dir.resolve("edge-data") + "\n"
                + "\n# the bridge, as mosquitto.conf writes it\n"
                + "connection cloud\n"
                + "address 127.0.0.1:" + remotePort + "\n"
                + "remote_clientid edge1\n"
                + "restart_timeout 1\n"
                + "topic sensors/# out 1 \"\" edge1/\n"
                + "topic cmd/# in 1 \"\" edge1/\n"
                + "topic chat/# both 1\n");
        local = startLocal(true);
    }

    /** Starts ./wrenmq with the bridge; waits until it serves clients and, if asked, until the bridge is up. */
    private ClientProcess startLocal(boolean bridgeUp) throws Exception {
        ClientProcess p = launched.wrenmq(dir, "-c", localConf.toString());
        await().atMost(PATIENCE).pollInterval(Duration.ofMillis(200)).until(() -> {
            assertThat(p.isAlive()).as("./wrenmq running; output:%n%s", p.output()).isTrue();
            return p.output().contains("WrenMQ listening on")
                    && (!bridgeUp || p.output().contains("bridge cloud: connected to"));
        });
        return p;
    }

    /** Starts (or restarts, on the same store) the remote and waits until the bridge is connected to it. */
    private void startRemote() throws Exception {
        int connectedBefore = local == null ? 0 : count(local.output(), "bridge cloud: connected to");
        Path data = Files.createDirectories(dir.resolve("remote-data"));
        if (remoteKind == Remote.MOSQUITTO) {
            // run as root, mosquitto drops to user mosquitto, who may not write its store into the test's folder
            Path conf = Files.writeString(dir.resolve("remote-mosquitto.conf"), "listener " + remotePort
                    + " 127.0.0.1\nallow_anonymous true\npersistence true\npersistence_location " + data + "/\n"
                    + "user " + System.getProperty("user.name") + "\n");
            remote = launched.run(dir, "/usr/sbin/mosquitto", "-c", conf.toString());
        } else {
            Path conf = Files.writeString(dir.resolve("remote-wrenmq.conf"), "listener " + remotePort
                    + " 127.0.0.1\nallow_anonymous true\npersistence_location " + data + "\n");
            remote = launched.wrenmq(dir, "-c", conf.toString());
        }
        ClientProcess r = remote;
        await().atMost(PATIENCE).pollInterval(Duration.ofMillis(200)).until(() -> {
            assertThat(r.isAlive()).as("remote running; output:%n%s", r.output()).isTrue();
            return launched.run(dir, "mosquitto_pub", "-h", "127.0.0.1", "-p", Integer.toString(remotePort),
                    "-t", "probe", "-m", "x").awaitExit() == 0;
        });
        if (local != null) {
            await().atMost(PATIENCE).until(() -> count(local.output(), "bridge cloud: connected to")
                    > connectedBefore);
        }
    }

    // ---- clients ----

    private void pub(int port, String topic, String message) throws InterruptedException {
        cli().pub(port, topic, message);
    }

    private ClientProcess sub(int port, String... args) {
        return cli().sub(port, args);
    }

    private MosquittoCli cli() {
        return new MosquittoCli(launched, dir);
    }

    /** A persistent QoS 1 subscriber on the remote, registered now and gone: the remote queues for it. */
    private void registerWatcher() throws InterruptedException {
        launched.run(dir, "mosquitto_sub", "-h", "127.0.0.1", "-p", Integer.toString(remotePort), "-c", "-i",
                WATCHER, "-q", "1", "-t", "edge1/#", "-E").awaitSuccess();
    }

    private List<String> collectAtWatcher(int n) throws InterruptedException {
        return launched.run(dir, "mosquitto_sub", "-h", "127.0.0.1", "-p", Integer.toString(remotePort), "-c",
                "-i", WATCHER, "-q", "1", "-t", "edge1/#", "-v", "-C", Integer.toString(n), "-W",
                Long.toString(PATIENCE.toSeconds())).awaitSuccess().lines().toList();
    }

    /** Publishes sensors/n = n at QoS 1 to WrenMQ; returns the lines the remote shows for them. */
    private List<String> publishNumbered(int n) throws InterruptedException {
        List<String> expected = new ArrayList<>();
        for (int i : IntStream.rangeClosed(1, n).toArray()) {
            pub(localPort, "sensors/" + i, "reading-" + i);
            expected.add("edge1/sensors/" + i + " reading-" + i);
        }
        return expected;
    }
}
