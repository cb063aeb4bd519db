package org.wrenmq.it.clients;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.wrenmq.it.support.ClientProcess;
import org.wrenmq.it.support.DocPage;

/**
 * docs/hardening.md as printed: the log lines it shows for connections that never CONNECT, the error it shows for a
 * bad {@code connect_timeout}, and the launcher's heap with and without {@code WRENMQ_JAVA_OPTS=-Xmx6g}, each
 * produced by {@code ./wrenmq}. What differs from the page: the broker listens on a free port of 127.0.0.1, and the
 * log lines' addresses and limits are this run's (the page's 10.0.0.x clients are 127.0.0.1 and 127.0.0.2 here,
 * its limits of 1000 connections and 10 s are 1 and 1 s, so that the test meets them at once). Not run: the page's
 * {@code fuzz/run.sh} lines, which fuzz for 10 minutes and an hour ({@code .ci/run} runs the same script for 15 s).
 */
@DisplayName("docs/hardening.md as printed")
class HardeningPageIT {
    private static final DocPage PAGE = DocPage.read("hardening.md");
    private static final String LIMITS = "## Limits against hostile and careless clients";
    private static final String NEVER_CONNECT = "### Connections that never CONNECT";
    private static final String MEMORY = "## Memory: the launcher's heap and what state costs";
    private static final long TWO_GIB = 2L << 30;

    @TempDir
    Path dir;

    @RegisterExtension
    final Launched launched = new Launched();
    private final int port = Launched.freePort();


    @Test
    @DisplayName("a connection refused over max_pending_connections and one closed at connect_timeout: the page's lines")
    void connectionsThatNeverConnectAreLoggedAsPrinted() throws Exception {
        List<String> printed = PAGE.codeBlockWith(NEVER_CONNECT, "WARN PendingConnections").lines().toList();
        ClientProcess broker = startBroker("connect_timeout 1", "max_pending_connections 1");

        assertThat(printed.get(0)).as("the page's refusal").contains("from 10.0.0.7 ", "1000 connections");
        assertThat(printed.get(1)).as("the page's timeout").contains("from 10.0.0.9 ", "within 10 s");
        // which of the two takes the one place first is up to the event loops: either address may be refused
        Pattern refusal = printedWithAnyOfOurAddresses(printed.get(0).replace("1000 connections", "1 connections"));
        Pattern timeout = printedWithAnyOfOurAddresses(printed.get(1).replace("within 10 s", "within 1 s")
                .replaceFirst(" \\(\\d+ similar events since the previous line not logged\\)$", ""));
        try (Socket first = connectFrom("127.0.0.1"); Socket second = connectFrom("127.0.0.2")) {
            await().atMost(ClientProcess.PATIENCE).untilAsserted(() -> assertThat(broker.output().lines())
                    .anyMatch(l -> refusal.matcher(l).matches()).anyMatch(l -> timeout.matcher(l).matches()));
        }
    }

    /** The printed line after the logger's time and thread, its 10.0.0.x address one of this test's two. */
    private static Pattern printedWithAnyOfOurAddresses(String printed) {
        return Pattern.compile(".*" + Pattern.quote(printed).replaceAll("10\\.0\\.0\\.\\d+",
                "\\\\E127\\\\.0\\\\.0\\\\.[12]\\\\Q"));
    }

    @Test
    @DisplayName("a bad connect_timeout stops the start with the page's message and exit status 1")
    void badConnectTimeoutIsRefusedAsPrinted() throws Exception {
        String printed = PAGE.inlineCode(LIMITS, "wrenmq: wrenmq.conf:2:");
        Files.writeString(dir.resolve("wrenmq.conf"), "listener " + port + " 127.0.0.1\nconnect_timeout 0\n");

        ClientProcess broker = launched.shell(dir, "./wrenmq -c wrenmq.conf");

        assertThat(broker.awaitExit()).as("exit status; output:%n%s", broker.output()).isEqualTo(1);
        assertThat(broker.output().lines()).contains(printed);
    }

    @Test
    @DisplayName("the launcher's heap: at most 2 GiB by default, WRENMQ_JAVA_OPTS=-Xmx6g as printed replaces it")
    void launcherHeapAsPrinted() throws Exception {
        Files.writeString(dir.resolve("wrenmq.conf"),
                "listener " + port + " 127.0.0.1\nallow_anonymous true\npersistence false\n");
        assertThat(maxHeapOf(launched.shell(dir, "./wrenmq -c wrenmq.conf"))).isPositive().isLessThanOrEqualTo(TWO_GIB);

        String printed = PAGE.inlineCode(MEMORY, "WRENMQ_JAVA_OPTS=-Xmx6g ");
        assertThat(maxHeapOf(launched.shell(dir, printed))).isEqualTo(6L << 30);
    }

    private ClientProcess startBroker(String... settings) throws IOException {
        Files.write(dir.resolve("wrenmq.conf"), List.of("listener " + port + " 127.0.0.1", "allow_anonymous true",
                "persistence false", String.join("\n", settings)));
        ClientProcess broker = launched.wrenmq(dir, "-c", dir.resolve("wrenmq.conf").toString());
        Launched.awaitListening(broker);
        return broker;
    }

    /** A TCP connection to the broker from this local address, which sends nothing. */
    private Socket connectFrom(String localAddress) throws IOException {
        Socket socket = new Socket();
        socket.bind(new InetSocketAddress(InetAddress.getByName(localAddress), 0));
        socket.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 5_000);
        socket.setSoTimeout((int) ClientProcess.PATIENCE.toMillis());
        return socket;
    }

    /** The broker JVM's maximum heap as the JVM itself reports it (jcmd VM.flags), once the broker listens. */
    private long maxHeapOf(ClientProcess started) {
        Launched.awaitListening(started);
        long pid = ProcessHandle.of(started.pid()).stream()
                .flatMap(p -> Stream.concat(Stream.of(p), p.descendants()))
                .filter(p -> p.info().command().map(c -> c.endsWith("/java")).orElse(false))
                .map(ProcessHandle::pid).findFirst().orElseThrow(() -> new AssertionError("no broker JVM"));
        String flags = launched.run(dir, "jcmd", Long.toString(pid), "VM.flags").awaitSuccess();
        Optional<String> max = flags.lines().flatMap(l -> Arrays.stream(l.split(" ")))
                .filter(f -> f.startsWith("-XX:MaxHeapSize=")).findFirst();
        started.close(); // the JVM and, if bash did not exec it, bash
        return Long.parseLong(max.orElseThrow(() -> new AssertionError("no MaxHeapSize in " + flags)).substring(16));
    }
}
