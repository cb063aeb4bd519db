package org.wrenmq.it.clients;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.wrenmq.it.support.ClientProcess;
import org.wrenmq.it.support.DocPage;

/**
 * docs/listeners-tls.md followed as printed: the page's openssl commands make the certificates, its complete
 * example is the broker's configuration, its mosquitto_sub and mosquitto_pub lines talk through the broker, and
 * the start-up lines and errors it shows are what the broker prints. What differs from the page, and only that:
 * its ports (1883, 8883, 8884, 9001, 9443) are ports free at run time, every listener binds 127.0.0.1, the files
 * under {@code /etc/wrenmq/} are in the test's folder, and the clients connect to 127.0.0.1 (a name the page's
 * server certificate holds) instead of broker.example.
 */
@DisplayName("docs/listeners-tls.md as printed")
class ListenersTlsPageIT {
    private static final DocPage PAGE = DocPage.read("listeners-tls.md");
    private static final String EXAMPLE = "## A complete example";
    private static final String CERTIFICATES = "## Test certificates with openssl";
    private static final String ERRORS = "### Errors";
    private static final List<String> PAGE_PORTS = List.of("1883", "8883", "8884", "9001", "9443");
    private static final Duration PATIENCE = ClientProcess.PATIENCE;

    @TempDir
    Path dir;

    @RegisterExtension
    final Launched launched = new Launched();
    /** What this run writes instead of what the page prints, applied in this order. */
    private final Map<String, String> substitutions = new LinkedHashMap<>();
    /** The page's ports and this run's. */
    private final Map<String, Integer> ports = new LinkedHashMap<>();

    @BeforeEach
    void portsAndFoldersOfThisRun() {
        substitutions.put("/etc/wrenmq/certs/", dir + "/");
        substitutions.put("/etc/wrenmq/", dir + "/");
        substitutions.put("broker.example", "127.0.0.1");
        int[] free = Launched.freePorts(PAGE_PORTS.size());
        for (int i = 0; i < free.length; i++) {
            String port = PAGE_PORTS.get(i);
            ports.put(port, free[i]);
            // a listener without an address binds every interface on the page; here, loopback only
            substitutions.put("listener " + port + " 127.0.0.1", "listener " + free[i] + " 127.0.0.1");
            substitutions.put("listener " + port + "\n", "listener " + free[i] + " 127.0.0.1\n");
            substitutions.put("0.0.0.0:" + port, "127.0.0.1:" + free[i]);
            substitutions.put(":" + port, ":" + free[i]);
            substitutions.put("listener " + port, "listener " + free[i]);
            substitutions.put("-p " + port, "-p " + free[i]);
        }
    }


    @Test
    @DisplayName("the example's listeners serve the page's clients; the revoked device certificate is refused")
    void completeExampleWithThePagesCertificatesAndClients() {
        makeTheCertificatesAndPasswordFile();
        ClientProcess broker = startBroker(asThisRun(PAGE.codeBlockWith(EXAMPLE, "# /etc/wrenmq/wrenmq.conf")));

        for (String line : PAGE.codeBlockWith(EXAMPLE, "INFO Broker").lines().toList()) {
            // the line as printed, after the logger's thread name, "..." standing for the rest
            Pattern printed = Pattern.compile(".*" + Pattern.quote(asThisRun(line)).replace("...", "\\E.*\\Q"));
            assertThat(broker.output().lines().anyMatch(l -> printed.matcher(l).matches()))
                    .as("start-up line %s in%n%s", line, broker.output()).isTrue();
        }

        List<String> clients = PAGE.codeBlockWith(EXAMPLE, "mosquitto_sub").lines().map(this::asThisRun).toList();
        ClientProcess alice = launched.shell(dir, clients.get(0));
        await("alice's mosquitto_sub on the TLS listener gets device-1's reading over mutual TLS").atMost(PATIENCE)
                .pollInterval(Duration.ofMillis(500)).until(() -> {
                    launched.shell(dir, clients.get(1)).awaitSuccess();
                    return alice.lines().contains("21.5");
                });
        String revoked = clients.get(1).replace("device-1", "device-2");
        assertThat(launched.shell(dir, revoked).awaitExit()).as("%s (device-2 is in crl.pem)", revoked)
                .isNotZero();
    }

    @Test
    @DisplayName("the errors the page lists, from the example with one line changed")
    void theErrorsOfThePage() {
        makeTheCertificatesAndPasswordFile();
        List<String> example = asThisRun(PAGE.codeBlockWith(EXAMPLE, "# /etc/wrenmq/wrenmq.conf")).lines().toList();
        List<String> errors = PAGE.codeBlockWith(ERRORS, "wrenmq: ").lines().map(this::asThisRun).toList();

        int tlsListener = lineOf(example, "listener " + ports.get("8883"));
        List<String> withoutKey = new ArrayList<>(example);
        withoutKey.remove(lineOf(example, "keyfile ") - 1); // the TLS listener's keyfile, the first in the file
        assertThat(refusedStart(withoutKey)).contains(numbered(errors.get(0), tlsListener));

        int protocol = lineOf(example, "protocol websockets");
        List<String> ws = new ArrayList<>(example);
        ws.set(protocol - 1, "protocol ws");
        assertThat(refusedStart(ws)).contains(numbered(errors.get(1), protocol));

        launched.shell(dir, "openssl pkey -in server.key -aes256 -passout pass:secret -out server.key.enc"
                + " && mv server.key.enc server.key").awaitSuccess();
        assertThat(refusedStart(example)).contains(errors.get(2));
    }

    /** The page's certificates, and alice's password (secret, as the page's clients give it). */
    private void makeTheCertificatesAndPasswordFile() {
        launched.shell(dir, PAGE.codeBlockWith(CERTIFICATES, "openssl genpkey")).awaitSuccess();
        launched.wrenmq(dir, "passwd", "-c", "-b", dir.resolve("passwd").toString(), "alice", "secret")
                .awaitSuccess();
    }

    private ClientProcess startBroker(String config) {
        Path file = write("wrenmq.conf", config);
        ClientProcess broker = launched.wrenmq(dir, "-c", file.toString());
        Launched.awaitListening(broker);
        return broker;
    }

    /** What ./wrenmq printed when it refused to start with this file (exit status 1). */
    private String refusedStart(List<String> config) {
        ClientProcess broker = launched.wrenmq(dir, "-c", write("wrenmq.conf", String.join("\n", config) + "\n")
                .toString());
        assertThat(broker.awaitExit()).as("exit status; output:%n%s", broker.output()).isEqualTo(1);
        return broker.output();
    }

    /** The page's error line with the line number of this file. */
    private String numbered(String error, int line) {
        return error.replaceFirst("\\.conf:\\d+:", ".conf:" + line + ":");
    }

    private static int lineOf(List<String> lines, String prefix) {
        for (int i = 0; i < lines.size(); i++) {
            if (lines.get(i).startsWith(prefix)) {
                return i + 1;
            }
        }
        throw new AssertionError("no line starting " + prefix + " in the example");
    }

    private String asThisRun(String printed) {
        String text = printed;
        for (Map.Entry<String, String> s : substitutions.entrySet()) {
            text = text.replace(s.getKey(), s.getValue());
        }
        return text;
    }

    private Path write(String name, String text) {
        try {
            return Files.writeString(dir.resolve(name), text);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
