package org.wrenmq.it.durability;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import org.wrenmq.it.support.ClientProcess;
import org.wrenmq.it.support.Ports;

/**
 * The standalone broker as a separate JVM (broker-bundle's jar and {@code target/lib}, paths passed in by the pom),
 * on 127.0.0.1 and a port free at each start, with its store in {@code DIR/data}. It can be stopped cleanly
 * (SIGTERM: the shutdown hook closes the store) or killed with SIGKILL, and started again on the same store.
 * A test reads what the latest start printed.
 */
final class BrokerProcess implements AutoCloseable {
    static final Duration START_TIMEOUT = Duration.ofSeconds(30);
    private static final String MAIN = "org.wrenmq.broker.standalone.Main";

    private final Path dir;
    private final List<String> extraConfig;
    private ClientProcess process;
    private int port;
    private int starts;

    /** @param extraConfig config lines added after the listener and store lines (later lines win) */
    BrokerProcess(Path dir, String... extraConfig) {
        this.dir = dir;
        this.extraConfig = List.of(extraConfig);
    }

    Path storeDir() {
        return dir.resolve("data");
    }

    Path storeFile() {
        return storeDir().resolve("wrenmq.db");
    }

    /** Starts the broker and waits until it accepts connections. */
    BrokerProcess start() {
        launch();
        await().atMost(START_TIMEOUT).pollInterval(Duration.ofMillis(100)).until(() -> {
            assertThat(process.isAlive()).as("broker process running; its output:%n%s", output()).isTrue();
            return Ports.listening(port);
        });
        return this;
    }

    /** Starts the broker without waiting: for a start that is expected to fail. */
    BrokerProcess launch() {
        assertThat(process == null || !process.isAlive()).as("previous broker process gone").isTrue();
        try {
            port = Ports.free();
            starts++;
            Path config = dir.resolve("broker-" + starts + ".conf");
            List<String> lines = new ArrayList<>();
            lines.add("listener " + port + " 127.0.0.1");
            lines.add("allow_anonymous true");
            lines.add("persistence_location " + storeDir());
            lines.addAll(extraConfig);
            Files.write(config, lines);
            String javaBin = Path.of(System.getProperty("java.home"), "bin", "java").toString();
            String classPath = requiredPath("wrenmq.broker.jar") + ":" + requiredPath("wrenmq.broker.lib") + "/*";
            process = ClientProcess.start(dir, List.of(javaBin, "-Xmx256m", "-cp", classPath, MAIN, "-c",
                    config.toString()));
            return this;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    int port() {
        return port;
    }

    String uri() {
        return "tcp://127.0.0.1:" + port;
    }

    /** SIGKILL to the broker's JVM (not a wrapper script: it is the process this class started), then waits. */
    void kill() {
        process.kill();
    }

    /** SIGTERM: the broker's shutdown hook closes the listeners and the store. */
    void stop() {
        process.stop();
    }

    /** The exit status of a start that was expected to fail; fails if the broker still runs after the timeout. */
    int awaitExit() {
        return process.awaitExit(START_TIMEOUT);
    }

    boolean isAlive() {
        return process != null && process.isAlive();
    }

    /** What the latest start printed so far. */
    String output() {
        return process == null ? "" : process.output();
    }

    @Override
    public void close() {
        if (process != null) {
            process.close();
        }
    }

    private static String requiredPath(String property) {
        String value = System.getProperty(property);
        assertThat(value).as("system property %s (set by the pom)", property).isNotNull();
        assertThat(Path.of(value)).as("%s, built by broker-bundle's package phase", property).exists();
        return value;
    }
}
