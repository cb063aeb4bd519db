package org.wrenmq.it.clients;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.wrenmq.it.support.ClientProcess;

/**
 * Three ./wrenmq processes that form a cluster from their config files alone (cluster_name, cluster_listener,
 * cluster_members on loopback ports picked free), and Debian's mosquitto_sub / mosquitto_pub as clients, each
 * connected to one node.
 *
 * <p>A subscription reaches the other nodes a few milliseconds after its SUBACK; before a test publishes, it
 * sends probe messages until the subscriber got one, so that it never races the cluster's directory.
 */
@Timeout(300)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
@DisplayName("a cluster of three ./wrenmq processes with mosquitto's clients")
class ClusterIT {
    private static final Duration PATIENCE = ProcessCluster.PATIENCE;

    @TempDir
    static Path dir;

    private static ProcessCluster cluster;
    /** What a test starts besides the cluster. */
    private static final Launched LAUNCHED = new Launched();

    @BeforeAll
    static void startCluster() {
        cluster = ProcessCluster.start(dir, "-Xmx128m");
    }

    @AfterAll
    static void stopCluster() {
        LAUNCHED.closeAll();
        if (cluster != null) {
            cluster.close();
        }
    }

    private ClientProcess persistentSubscriber(int node, String clientId, String topic) {
        return cluster.persistentSubscriber(node, clientId, topic);
    }

    private void offlineSession(int node, String clientId, String topic, int publisher) {
        cluster.offlineSession(node, clientId, topic, publisher);
    }

    private ClientProcess client(String... command) {
        return cluster.client(command);
    }

    private static String port(int node) {
        return cluster.port(node);
    }

    private void awaitRoute(int node, String topic, ClientProcess... subscribers) {
        cluster.awaitRoute(node, topic, subscribers);
    }

    @ParameterizedTest(name = "QoS {0}")
    @ValueSource(ints = {0, 1, 2})
    @Order(1)
    @DisplayName("mosquitto_pub on node 1, mosquitto_sub on node 2: the message arrives at the QoS of both")
    void crossNodeAtEachQos(int qos) throws Exception {
        String topic = "plant/line-" + qos + "/temperature";
        ClientProcess subscriber = client("mosquitto_sub", "-d", "-p", port(1), "-q", Integer.toString(qos), "-t",
                topic);
        awaitRoute(0, topic, subscriber);

        String published = client("mosquitto_pub", "-d", "-p", port(0), "-q", Integer.toString(qos), "-t", topic,
                "-m", "temperature=15").awaitSuccess();

        await().atMost(PATIENCE).until(() -> subscriber.output().lines().anyMatch("temperature=15"::equals));
        Pattern delivery = Pattern.compile("received PUBLISH \\(d0, q" + qos + ", r0, m\\d+, '" + Pattern.quote(topic)
                + "', \\.\\.\\. \\(14 bytes\\)\\)");
        assertThat(delivery.matcher(subscriber.output()).find()).as("subscriber output:%n%s", subscriber.output())
                .isTrue();
        if (qos == 1) {
            assertThat(published).contains("received PUBACK");
        } else if (qos == 2) {
            assertThat(published).contains("received PUBREC", "received PUBCOMP");
        }
        subscriber.close();
    }

    @Test
    @Order(2)
    @DisplayName("messages from one publisher arrive on another node in publish order")
    void orderAcrossNodes() throws Exception {
        String topic = "plant/order";
        ClientProcess subscriber = client("mosquitto_sub", "-p", port(2), "-q", "1", "-t", topic);
        awaitRoute(0, topic, subscriber);
        Path lines = dir.resolve("lines.txt");
        List<String> sent = new ArrayList<>();
        for (int i = 0; i < 100; i++) {
            sent.add("m" + i);
        }
        Files.write(lines, sent);

        client("sh", "-c", "mosquitto_pub -p " + port(0) + " -q 1 -t " + topic + " -l < " + lines).awaitSuccess();

        await().atMost(PATIENCE).until(() -> subscriber.output().lines().filter(l -> l.startsWith("m")).count()
                == 100);
        assertThat(subscriber.output().lines().filter(l -> l.startsWith("m")).toList()).isEqualTo(sent);
        subscriber.close();
    }

    @Test
    @Order(3)
    @DisplayName("a client id connected on node 1 that connects on node 2 is taken over: DISCONNECT 0x8E")
    void takeoverAcrossNodes() throws Exception {
        // stdbuf: mosquitto_sub's -d lines are block-buffered when written to a file
        ClientProcess first = client("stdbuf", "-oL", "mosquitto_sub", "-d", "-V", "mqttv5", "-p", port(0), "-i",
                "meter-42", "-t", "plant/meter-42");
        await().atMost(PATIENCE).until(() -> first.output().contains("received SUBACK"));

        ClientProcess second = client("stdbuf", "-oL", "mosquitto_sub", "-d", "-V", "mqttv5", "-p", port(1), "-i",
                "meter-42", "-t", "plant/meter-42");

        await().atMost(PATIENCE).until(() -> first.output().contains("Received DISCONNECT (142)"));
        assertThat(second.output()).doesNotContain("DISCONNECT (");
        second.close();
    }

    @Test
    @Order(4)
    @DisplayName("a retained message published on node 1 reaches a new subscriber on node 3, retain flag set")
    void retainedAcrossNodes() throws Exception {
        client("mosquitto_pub", "-p", port(0), "-q", "1", "-r", "-t", "plant/valve-3", "-m", "open").awaitSuccess();

        await().atMost(PATIENCE).pollInterval(Duration.ofMillis(500)).until(() -> client("mosquitto_sub", "-d",
                "-p", port(2), "-t", "plant/valve-3", "-C", "1", "-W", "2").awaitExitOutput()
                .contains("received PUBLISH (d0, q0, r1"));
    }

    @Test
    @Order(5)
    @DisplayName("a shared subscription with members on nodes 2 and 3 gets each message once")
    void sharedSubscriptionAcrossNodes() throws Exception {
        String filter = "$share/workers/plant/jobs";
        ClientProcess onNode2 = client("mosquitto_sub", "-V", "mqttv5", "-p", port(1), "-q", "1", "-t", filter);
        ClientProcess onNode3 = client("mosquitto_sub", "-V", "mqttv5", "-p", port(2), "-q", "1", "-t", filter);
        awaitRoute(0, "plant/jobs", onNode2, onNode3);
        Path lines = dir.resolve("jobs.txt");
        List<String> jobs = new ArrayList<>();
        for (int i = 0; i < 40; i++) {
            jobs.add("job" + i);
        }
        Files.write(lines, jobs);

        client("sh", "-c", "mosquitto_pub -p " + port(0) + " -q 1 -t plant/jobs -l < " + lines).awaitSuccess();

        await().atMost(PATIENCE).until(() -> jobsIn(onNode2).size() + jobsIn(onNode3).size() >= 40);
        List<String> all = new ArrayList<>(jobsIn(onNode2));
        all.addAll(jobsIn(onNode3));
        assertThat(all).as("each job once").containsExactlyInAnyOrderElementsOf(jobs);
        assertThat(jobsIn(onNode2)).as("both nodes' members take some").isNotEmpty();
        assertThat(jobsIn(onNode3)).isNotEmpty();
        onNode2.close();
        onNode3.close();
    }

    @Test
    @Order(7)
    @DisplayName("kill -9 of node 1 right after it acknowledged a QoS 1 stream for an offline persistent session on "
            + "node 2: every acknowledged message reaches the session")
    void killedPublishingNodeLosesNothingAcknowledged() throws Exception {
        String topic = "plant/archive";
        offlineSession(1, "archive", topic, 0);
        Path lines = dir.resolve("archive.txt");
        List<String> stream = numberedLines(lines, "a", 300);

        client("sh", "-c", "mosquitto_pub -p " + port(0) + " -q 1 -t " + topic + " -l < " + lines).awaitSuccess();
        cluster.node(0).kill();

        ClientProcess resumed = persistentSubscriber(1, "archive", topic);
        await().atMost(PATIENCE).untilAsserted(() -> assertThat(numbered(resumed, "a")).isEqualTo(stream));
        resumed.stop();
        cluster.restart(0);
    }

    @Test
    @Order(8)
    @DisplayName("a broker without cluster_name loads no Hazelcast class and none of the cluster package")
    void singleNodeLoadsNoHazelcast() throws Exception {
        Path single = Files.createDirectories(dir.resolve("single"));
        String port = Integer.toString(Launched.freePort());
        Path conf = single.resolve("single.conf");
        Files.writeString(conf, "listener " + port + " 127.0.0.1\nallow_anonymous true\npersistence false\n");
        ClientProcess broker = LAUNCHED.track(ClientProcess.start(single, List.of(
                Launched.requiredPath("wrenmq.launcher"), "-c", conf.toString()), java.util.Map.of(
                "WRENMQ_JARS", Launched.requiredPath("wrenmq.broker.target"),
                "WRENMQ_JAVA_OPTS", "-Xmx128m -verbose:class", "WRENMQ_CDS", "off")));
        await().atMost(PATIENCE).until(() -> broker.output().contains("WrenMQ listening on"));
        client("mosquitto_pub", "-p", port, "-q", "1", "-t", "single/up", "-m", "yes").awaitSuccess();

        assertThat(broker.output()).contains("[class,load] org.wrenmq.broker.routing.Router ")
                .doesNotContain("com.hazelcast").doesNotContain("org.wrenmq.broker.cluster.");
        broker.stop();
    }

    private static List<String> jobsIn(ClientProcess subscriber) {
        return subscriber.output().lines().filter(l -> l.startsWith("job")).toList();
    }

    @Test
    @Order(5)
    @DisplayName("a persistent session moves: mosquitto_sub -c leaves node 1 and resumes on node 2, with the "
            + "messages published meanwhile on node 3")
    void sessionResumesOnAnotherNode() throws Exception {
        String topic = "plant/historian";
        offlineSession(0, "mover", topic, 2);
        for (int i = 0; i < 3; i++) {
            client("mosquitto_pub", "-p", port(2), "-q", "1", "-t", topic, "-m", "kept" + i).awaitSuccess();
        }

        // a route probe queued before the first subscriber left may arrive too: count only the kept messages
        ClientProcess resumed = persistentSubscriber(1, "mover", topic);
        await().atMost(PATIENCE).until(() -> kept(resumed).size() >= 3);

        assertThat(kept(resumed)).containsExactly("kept0", "kept1", "kept2");
        resumed.stop();
    }

    @Test
    @Order(5)
    @DisplayName("[MQTT-4.6.0-5] mosquitto_sub -c hops from node 1 to node 2 while mosquitto_pub streams QoS 1 on "
            + "node 3: every line arrives, in order")
    void sessionHopsDuringAStream() throws Exception {
        String topic = "plant/hop";
        ClientProcess first = persistentSubscriber(0, "hopper", topic);
        awaitRoute(2, topic, first);
        Path lines = dir.resolve("hop.txt");
        List<String> stream = numberedLines(lines, "h", 2000);

        ClientProcess publisher = client("sh", "-c", "mosquitto_pub -p " + port(2) + " -q 1 -t " + topic
                + " -l < " + lines);
        await().atMost(PATIENCE).until(() -> numbered(first, "h").size() >= 100);
        first.stop();
        ClientProcess resumed = persistentSubscriber(1, "hopper", topic);
        assertThat(publisher.awaitExit()).as("every message acknowledged").isZero();

        // what node 1 sent before the hop, then the rest from node 2 (at QoS 1, a message the client received on
        // node 1 but whose PUBACK the hop cut off comes again)
        List<String> before = numbered(first, "h");
        assertThat(before).isEqualTo(stream.subList(0, before.size()));
        await().atMost(PATIENCE).until(() -> numbered(resumed, "h").contains("h1999"));
        List<String> after = numbered(resumed, "h");
        assertThat(after).isNotEmpty();
        int from = stream.indexOf(after.get(0));
        assertThat(from).as("no gap at the hop").isLessThanOrEqualTo(before.size());
        assertThat(after).as("the rest, in order, once each").isEqualTo(stream.subList(from, stream.size()));
        resumed.stop();
    }

    /** The lines {@code prefix0}, {@code prefix1}... a subscriber printed, in its order. */
    private static List<String> numbered(ClientProcess subscriber, String prefix) {
        return subscriber.output().lines().filter(l -> l.matches(Pattern.quote(prefix) + "\\d+")).toList();
    }

    private static List<String> numberedLines(Path file, String prefix, int n) throws IOException {
        List<String> lines = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            lines.add(prefix + i);
        }
        Files.write(file, lines);
        return lines;
    }

    private static List<String> kept(ClientProcess subscriber) {
        return subscriber.output().lines().filter(l -> l.startsWith("kept")).toList();
    }

    @Test
    @Order(6)
    @DisplayName("kill -9 of node 3 during a QoS 1 stream from node 1 to an offline persistent session on node 2 "
            + "loses no acknowledged message; node 3 rejoins and serves clients again")
    void killedNodeLosesNothingAndRejoins() throws Exception {
        String topic = "plant/stream";
        offlineSession(1, "historian", topic, 0);
        Path lines = dir.resolve("stream.txt");
        List<String> stream = numberedLines(lines, "s", 300);

        ClientProcess publisher = client("sh", "-c", "mosquitto_pub -p " + port(0) + " -q 1 -t " + topic
                + " -l < " + lines);
        cluster.node(2).kill();
        assertThat(publisher.awaitExit()).as("every message acknowledged").isZero();

        // the last route probe may still have been on its way when the session went offline: it is queued too, so
        // count only the stream's messages (not a fixed number of messages with -C)
        ClientProcess resumed = persistentSubscriber(1, "historian", topic);
        await().atMost(PATIENCE).untilAsserted(() -> assertThat(numbered(resumed, "s")).isEqualTo(stream));
        resumed.stop();

        cluster.restart(2);
        ClientProcess onRejoined = client("mosquitto_sub", "-p", port(2), "-q", "1", "-t", "plant/after");
        awaitRoute(0, "plant/after", onRejoined);
        client("mosquitto_pub", "-p", port(0), "-q", "1", "-t", "plant/after", "-m", "back").awaitSuccess();
        await().atMost(PATIENCE).until(() -> onRejoined.output().lines().anyMatch("back"::equals));
        onRejoined.close();
    }

    @Test
    @Order(8)
    @DisplayName("mosquitto_sub on $SYS/broker/cluster/# of each node: the nodes it sees, itself, and the messages it "
            + "forwarded to and received from the others")
    void sysTopicsShowTheClusterAndEachNode() {
        String topic = "plant/sys-check";
        ClientProcess subscriber = client("mosquitto_sub", "-p", port(1), "-q", "1", "-t", topic);
        awaitRoute(0, topic, subscriber);

        // retained, updated every sys_interval (10 s): wait for the update after the route probes crossed
        await().atMost(PATIENCE).pollInterval(Duration.ofSeconds(1)).untilAsserted(() -> {
            String node1 = sysCluster(0);
            String node2 = sysCluster(1);
            assertThat(node1).contains("$SYS/broker/cluster/nodes 3", "$SYS/broker/cluster/name it")
                    .containsPattern("\\$SYS/broker/cluster/node [0-9a-f-]{36} 127\\.0\\.0\\.1:" + cluster.clusterPort(0))
                    .containsPattern("\\$SYS/broker/cluster/messages/forwarded [1-9]");
            assertThat(node2).contains("$SYS/broker/cluster/nodes 3")
                    .containsPattern("\\$SYS/broker/cluster/node [0-9a-f-]{36} 127\\.0\\.0\\.1:" + cluster.clusterPort(1))
                    .containsPattern("\\$SYS/broker/cluster/messages/received [1-9]");
        });
        subscriber.close();
    }

    @Test
    @Order(9)
    @DisplayName("kill -9 of the node holding an offline persistent session right after its last PUBACK, more "
            + "messages published at once: the client resuming on node 3 gets every one, once and in order")
    void sessionOfKilledNodeResumesOnSurvivor() throws Exception {
        String topic = "plant/journal";
        offlineSession(1, "journal", topic, 0);
        List<String> before = numberedLines(dir.resolve("journal-before.txt"), "a", 300);
        List<String> after = numberedLines(dir.resolve("journal-after.txt"), "b", 100);
        client("sh", "-c", "mosquitto_pub -p " + port(0) + " -q 1 -t " + topic + " -l < "
                + dir.resolve("journal-before.txt")).awaitSuccess();

        cluster.node(1).kill();
        // at once: node 1 forwards these to the dead node until the cluster notices, then to the adopter
        client("sh", "-c", "mosquitto_pub -p " + port(0) + " -q 1 -t " + topic + " -l < "
                + dir.resolve("journal-after.txt")).awaitSuccess();
        ClientProcess resumed = persistentSubscriber(2, "journal", topic);

        // those acknowledged before the death and those published during the takeover (reaching the session
        // through the dead node's ring buffer and through the adopter): each once, in order
        await().atMost(PATIENCE).untilAsserted(() -> {
            assertThat(numbered(resumed, "a")).as("nodes 1 and 3 said:%n%s", clusterLines()).isEqualTo(before);
            assertThat(numbered(resumed, "b")).as("nodes 1 and 3 said:%n%s", clusterLines()).hasSameSizeAs(after);
        });
        client("mosquitto_pub", "-p", port(0), "-q", "1", "-t", topic, "-m", "c0").awaitSuccess();
        await().atMost(PATIENCE).until(() -> numbered(resumed, "c").contains("c0"));
        assertThat(numbered(resumed, "a")).isEqualTo(before);
        assertThat(numbered(resumed, "b")).as("nothing twice, nothing out of order, up to a later message")
                .isEqualTo(after);
        await().atMost(PATIENCE).until(() -> Pattern.compile("adopted \\d+ persistent session")
                .matcher(cluster.node(0).output() + cluster.node(2).output()).find());
        resumed.stop();

        // node 2 restarts from its store, which still has the session: it must not come back there
        cluster.restart(1);
        assertThat(cluster.node(1).output()).contains("client 'journal': its session, restored from this node's store, "
                + "was adopted by node");
    }

    /** The cluster's log lines of nodes 1 and 3 (not Hazelcast's own), to tell why a test failed. */
    private static String clusterLines() {
        return (cluster.node(0).output() + cluster.node(2).output()).lines()
                .filter(l -> l.contains(" cluster") || l.contains("client '")).collect(Collectors.joining("\n"));
    }

    private String sysCluster(int node) {
        return cluster.sysCluster(node);
    }
}
