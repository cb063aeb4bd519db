package org.wrenmq.it.clients;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.wrenmq.it.support.ClientProcess;
import org.wrenmq.it.support.DocPage;

/**
 * docs/cluster.md's three nodes as printed: node 1's config file, and nodes 2 and 3 made from it as the page says
 * (their own cluster_listener address), each a ./wrenmq process started with {@code -c} on its file alone. What
 * differs from the page, as it says for one machine: every address is 127.0.0.1 and every port one picked free;
 * the password file is made with {@code ./wrenmq passwd} where the page has /etc/wrenmq/passwd.
 */
@Timeout(300)
@DisplayName("docs/cluster.md's three nodes as printed")
class ClusterPageIT {
    private static final DocPage PAGE = DocPage.read("cluster.md");
    private static final String SECTION = "## Three nodes from their config files";
    private static final Duration PATIENCE = Duration.ofSeconds(60);

    @TempDir
    Path dir;

    private final Launched launched = new Launched();

    @AfterEach
    void stopEverything() {
        launched.closeAll();
    }

    @Test
    @DisplayName("three ./wrenmq form the cluster from their files alone: the page's log lines, and a message from "
            + "node 1 to node 3 with a user of the password file")
    void threeNodesFromTheirConfigFiles() throws Exception {
        String node1 = PAGE.codeBlockWith(SECTION, "cluster_name");
        List<String> logLines = PAGE.codeBlockWith(SECTION, "INFO ClusterNode").lines().toList();
        List<String> printedMembers = List.of(value(node1, "cluster_members").split(","));
        assertThat(printedMembers).as("the page's members").hasSize(3)
                .startsWith(address(value(node1, "cluster_listener")));
        Path passwords = dir.resolve("passwd");
        launched.wrenmq(dir, "passwd", "-c", "-b", passwords.toString(), "line-1", "s3cret").awaitSuccess();

        int[] ports = Launched.freePorts(6);
        List<ClientProcess> nodes = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            Path nodeDir = Files.createDirectories(dir.resolve("node" + (i + 1)));
            Path conf = nodeDir.resolve("node" + (i + 1) + ".conf");
            Files.writeString(conf, onThisMachine(node1, i, ports, printedMembers, passwords));
            nodes.add(launched.wrenmq(nodeDir, "-c", conf.toString()));
        }

        Pattern joined = asLogged(logLines.get(0).replace("10.0.0.11:5701", "127.0.0.1:\\d+"));
        await().atMost(PATIENCE).pollInterval(Duration.ofMillis(300)).until(() -> nodes.stream()
                .allMatch(n -> n.output().contains("WrenMQ listening on")));
        assertThat(nodes).as("a node saw all three join").anyMatch(n -> joined.matcher(n.output()).find());

        ClientProcess subscriber = launched.run(dir, "mosquitto_sub", "-p", Integer.toString(ports[2]), "-u",
                "line-1", "-P", "s3cret", "-q", "1", "-t", "plant/line-1/state");
        await().atMost(PATIENCE).pollInterval(Duration.ofMillis(500)).until(() -> {
            launched.run(dir, "mosquitto_pub", "-p", Integer.toString(ports[0]), "-u", "line-1", "-P", "s3cret",
                    "-q", "1", "-t", "plant/line-1/state", "-m", "running").awaitExit();
            return subscriber.output().lines().anyMatch("running"::equals);
        });

        nodes.get(1).stop();
        Pattern left = asLogged(logLines.get(1).replace("[10.0.0.12]:5701", "[127.0.0.1]:" + ports[4]));
        await().atMost(PATIENCE).until(() -> left.matcher(nodes.get(0).output()).find());
        subscriber.close();
    }

    /**
     * The page's node 1 file for node {@code i} on this machine: the listener and cluster_listener on 127.0.0.1 with
     * ports of its own (MQTT {@code ports[i]}, cluster {@code ports[3 + i]}), its cluster_listener address the
     * {@code i}th of the page's members, the members' addresses mapped to the same ports, and this test's password
     * file.
     */
    private static String onThisMachine(String node1, int i, int[] ports, List<String> printedMembers,
                                        Path passwords) {
        List<String> members = new ArrayList<>();
        for (int m = 0; m < 3; m++) {
            members.add("127.0.0.1:" + ports[3 + m]);
        }
        StringBuilder conf = new StringBuilder();
        for (String line : node1.lines().toList()) {
            String key = line.split(" ")[0];
            conf.append(switch (key) {
                case "listener" -> "listener " + ports[i] + " 127.0.0.1";
                case "password_file" -> "password_file " + passwords;
                case "cluster_listener" -> {
                    assertThat(printedMembers.get(i)).as("node %d's member address", i + 1)
                            .isEqualTo(address(value(node1, "cluster_listener")).replace("10.0.0.11",
                                    "10.0.0.1" + (i + 1)));
                    yield "cluster_listener " + ports[3 + i] + " 127.0.0.1";
                }
                case "cluster_members" -> "cluster_members " + String.join(",", members);
                default -> line;
            }).append('\n');
        }
        return conf.toString();
    }

    /** The value of {@code key}'s line in a config file. */
    private static String value(String conf, String key) {
        return conf.lines().filter(l -> l.startsWith(key + " ")).findFirst()
                .orElseThrow(() -> new AssertionError("no " + key + " line in\n" + conf)).substring(key.length() + 1);
    }

    /** {@code PORT ADDRESS} of a cluster_listener as a member, {@code ADDRESS:PORT}. */
    private static String address(String clusterListener) {
        String[] parts = clusterListener.split(" ");
        return parts[1] + ":" + parts[0];
    }

    /**
     * A printed log line as a pattern: a node id the page shortens ({@code 1a1b3b20-...}) stands for any node id,
     * {@code \d+} (put in by this test) for a port; the rest as printed.
     */
    private static Pattern asLogged(String printed) {
        StringBuilder pattern = new StringBuilder();
        Matcher elided = Pattern.compile("[0-9a-f]{8}-\\.\\.\\.|\\\\d\\+").matcher(printed);
        int at = 0;
        while (elided.find()) {
            pattern.append(Pattern.quote(printed.substring(at, elided.start())))
                    .append(elided.group().endsWith("...") ? "[0-9a-f-]{36}" : "\\d+");
            at = elided.end();
        }
        return Pattern.compile(pattern.append(Pattern.quote(printed.substring(at))).toString());
    }
}
