package org.wrenmq.it.clients;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;

import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.wrenmq.it.support.ClientProcess;

/**
 * The standalone broker as an operator runs it: {@code ./wrenmq} from the project's root (with its JVM options),
 * on broker-bundle's jar and {@code target/lib} (paths passed in by the pom, resolved from this module's folder).
 */
@DisplayName("standalone broker process (./wrenmq)")
class StandaloneMainIT {
    @TempDir
    Path dir;

    @RegisterExtension
    final Launched launched = new Launched();


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
        String port = Integer.toString(Launched.freePort());
        ClientProcess broker = start("-p", port);

        await().atMost(ClientProcess.PATIENCE).pollInterval(Duration.ofMillis(300))
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
        return launched.wrenmq(dir, args);
    }

    private ClientProcess run(String... command) {
        return launched.run(dir, command);
    }

}
