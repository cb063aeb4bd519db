package org.wrenmq.it.clients;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.wrenmq.it.clients.MosquittoCli.awaitLine;
import static org.wrenmq.it.clients.MosquittoCli.count;
import static org.wrenmq.it.clients.MosquittoCli.messages;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.wrenmq.broker.testing.TestPki;
import org.wrenmq.it.support.ClientProcess;
import org.wrenmq.it.support.DocPage;
import org.wrenmq.it.support.Mosquitto;

/**
 * docs/bridges.md's edge-to-cloud example followed as printed: its edge.conf run by the page's {@code ./wrenmq}
 * command, its mosquitto.conf as the cloud and as the backup (Debian's mosquitto), its mosquitto_passwd lines
 * making the users, and what the text after them says checked with mosquitto_pub/sub. What differs from the page,
 * and only that: ports free at run time on 127.0.0.1 instead of 1883 and 8883 (the cloud and its backup are
 * 127.0.0.1, a name the run's certificate holds, instead of cloud.example.com and cloud-backup.example.com), the
 * files under /etc in the test's folder, and the certificates made by {@link TestPki}.
 */
@DisplayName("docs/bridges.md as printed: edge to cloud against mosquitto")
class BridgesPageIT {
    private static final DocPage PAGE = DocPage.read("bridges.md");
    private static final String EXAMPLE = "## Example: edge to cloud";
    private static final Duration PATIENCE = ClientProcess.PATIENCE;
    /** The topics the page's text names. */
    private static final String READING = "sensors/line1/temp";
    private static final String COMMAND = "factory-7/commands/stop";

    @TempDir
    Path dir;

    @RegisterExtension
    final Launched launched = new Launched();
    private final Map<String, String> substitutions = new LinkedHashMap<>();
    private MosquittoCli cli;
    private int edgePort;
    private int cloudPort;
    private int backupPort;

    @BeforeEach
    void thisRun() throws Exception {
        cli = new MosquittoCli(launched, dir);
        int[] ports = Launched.freePorts(3);
        edgePort = ports[0];
        cloudPort = ports[1];
        backupPort = ports[2];
        Path edge = Files.createDirectories(dir.resolve("edge"));
        Path cloud = Files.createDirectories(dir.resolve("cloud"));
        substitutions.put("/etc/wrenmq/", edge + "/");
        substitutions.put("/etc/mosquitto/certs/", cloud + "/");
        substitutions.put("/etc/mosquitto/", cloud + "/");
        substitutions.put("cloud.example.com:8883", "127.0.0.1:" + cloudPort);
        substitutions.put("cloud-backup.example.com:8883", "127.0.0.1:" + backupPort);
        substitutions.put("listener 1883\n", "listener " + edgePort + " 127.0.0.1\n");
        substitutions.put("listener 8883\n", ""); // the launcher writes the cloud's listener line, on its port

        TestPki pki = TestPki.create(Files.createDirectories(dir.resolve("pki")));
        Path[] server = pki.server("cloud", TestPki.KeyForm.PKCS8_EC);
        Files.copy(server[0], cloud.resolve("cloud.crt"));
        Files.copy(server[1], cloud.resolve("cloud.key"));
        Files.copy(pki.caCert(), edge.resolve("cloud-ca.crt"));
    }


    @Test
    @DisplayName("readings reach the cloud under factory-7/, commands come back without it, the state is retained, "
            + "the backup takes over and readings published meanwhile arrive in order")
    void edgeToCloud() throws Exception {
        launched.shell(dir, asThisRun(PAGE.codeBlock(EXAMPLE, "sh"))).awaitSuccess();
        String[] cloudConf = asThisRun(PAGE.codeBlockWith(EXAMPLE, "# mosquitto.conf on the cloud")).lines()
                .filter(l -> !l.isBlank() && !l.startsWith("#")).toArray(String[]::new);
        Mosquitto cloud = launched.mosquitto(dir, cloudPort, cloudConf);
        Mosquitto backup = launched.mosquitto(dir, backupPort, cloudConf);
        Files.writeString(dir.resolve("edge.conf"), asThisRun(PAGE.codeBlockWith(EXAMPLE, "# edge.conf")));
        ClientProcess edge = launched.shell(dir, PAGE.inlineCode(EXAMPLE, "./wrenmq"));
        awaitLine(edge, "bridge cloud: connected to 127.0.0.1:" + cloudPort);

        ClientProcess atCloud = cli.sub(cloudPort, cloudUser("-C", "1", "-t", "factory-7/#"));
        ClientProcess atEdge = cli.sub(edgePort, edgeUser("-C", "1", "-t", "commands/#"));
        cli.pub(edgePort, READING, "21.5", edgeUser());
        cli.pub(cloudPort, COMMAND, "now", cloudUser());
        assertThat(messages(atCloud)).containsExactly("factory-7/" + READING + " 21.5");
        assertThat(messages(atEdge)).containsExactly("commands/stop now");
        String state = "$SYS/broker/connection/factory-7/state";
        assertThat(messages(cli.sub(edgePort, edgeUser("-C", "1", "-t", state)))).containsExactly(state + " 1");
        assertThat(messages(cli.sub(cloudPort, cloudUser("-C", "1", "-t", state)))).containsExactly(state + " 1");

        ClientProcess atBackup = cli.sub(backupPort, cloudUser("-C", "3", "-t", "factory-7/#"));
        cloud.stop();
        for (int i = 1; i <= 3; i++) {
            cli.pub(edgePort, READING, "reading-" + i, edgeUser());
        }

        assertThat(messages(atBackup)).containsExactly("factory-7/" + READING + " reading-1",
                "factory-7/" + READING + " reading-2", "factory-7/" + READING + " reading-3");
        assertThat(edge.output()).contains("bridge cloud: connected to 127.0.0.1:" + backupPort);

        cloud.restart();

        await().atMost(PATIENCE).until(() -> count(edge.output(), "bridge cloud: connected to 127.0.0.1:"
                + cloudPort) == 2);
        assertThat(backup.output()).contains("Client factory-7 disconnected.");
    }

    private String[] edgeUser(String... more) {
        return with(List.of("-u", "line-1", "-P", "line-1-secret"), more);
    }

    private String[] cloudUser(String... more) {
        return with(List.of("-u", "factory-7", "-P", "s3cret", "--cafile", dir.resolve("edge/cloud-ca.crt").toString()),
                more);
    }

    private static String[] with(List<String> first, String... more) {
        return Stream.concat(first.stream(), Arrays.stream(more)).toArray(String[]::new);
    }

    private String asThisRun(String text) {
        for (Map.Entry<String, String> s : substitutions.entrySet()) {
            text = text.replace(s.getKey(), s.getValue());
        }
        return text;
    }
}
