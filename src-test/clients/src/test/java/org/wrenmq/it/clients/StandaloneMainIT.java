package org.wrenmq.it.clients;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The standalone broker as an operator runs it: {@code ./wrenmq} from the project's root (with its JVM options),
 * on broker-bundle's jar and {@code target/lib} (paths passed in by the pom, resolved from this module's folder).
 */
@DisplayName("standalone broker process (./wrenmq)")
class StandaloneMainIT {
    @TempDir
    Path dir;

    private final List<ClientProcess> processes = new ArrayList<>();

    @AfterEach
    void stopEverything() throws InterruptedException {
        for (ClientProcess process : processes) {
            process.close();
        }
    }

    @Test
    @DisplayName("a config error is printed as FILE:LINE: message and the broker exits non-zero")
    void configErrorNamesFileAndLine() throws Exception {
        Path config = Files.writeString(dir.resolve("broker.conf"),
                "# a comment\nallow_anonymous true\nmax_inflight_messages lots\n");

        ClientProcess broker = start("-c", config.toString());

        assertThat(broker.awaitExit()).as("exit status").isNotZero();
        assertThat(broker.output()).contains(config + ":3: ").contains("max_inflight_messages");
    }

    @Test
    @DisplayName("-p PORT: the broker listens on that port; mosquitto_pub and mosquitto_sub use it")
    void portFlagSetsTheListeningPort() throws Exception {
        String port = Integer.toString(freePort());
        ClientProcess broker = start("-p", port);

        await().atMost(Duration.ofSeconds(ClientProcess.PATIENCE_SECONDS)).pollInterval(Duration.ofMillis(300))
                .until(() -> {
                    assertThat(broker.isAlive()).as("broker running; output:%n%s", broker.output()).isTrue();
                    return run("mosquitto_pub", "-h", "127.0.0.1", "-p", port, "-q", "1", "-r",
                            "-t", "standalone/up", "-m", "yes").awaitExit() == 0;
                });
        String received = run("mosquitto_sub", "-h", "127.0.0.1", "-p", port, "-t", "standalone/up", "-C", "1",
                "-W", "10").awaitSuccess();

        assertThat(received.lines()).contains("yes");
        broker.stop();
    }

    private ClientProcess start(String... args) {
        List<String> command = new ArrayList<>(List.of(requiredPath("wrenmq.launcher")));
        command.addAll(List.of(args));
        // the launcher runs the jar and lib/ of broker-bundle's target folder, and adds these JVM options to its own
        Map<String, String> environment = Map.of("WRENMQ_JARS", requiredPath("wrenmq.broker.target"),
                "WRENMQ_JAVA_OPTS", "-Xmx128m");
        return track(ClientProcess.start(dir, command, environment));
    }

    private ClientProcess run(String... command) {
        return track(ClientProcess.start(dir, List.of(command)));
    }

    private ClientProcess track(ClientProcess process) {
        processes.add(process);
        return process;
    }

    private static String requiredPath(String property) {
        String value = System.getProperty(property);
        assertThat(value).as("system property %s (set by the pom)", property).isNotNull();
        assertThat(Path.of(value)).as("%s (the launcher, or built by broker-bundle's package phase)", property)
                .exists();
        return value;
    }

    /** A port free a moment ago; the broker binds it next, on loopback only (no config file). */
    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        }
    }
}
