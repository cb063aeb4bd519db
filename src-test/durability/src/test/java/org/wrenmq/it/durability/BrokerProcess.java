package org.wrenmq.it.durability;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import org.wrenmq.it.support.Ports;

/**
 * The standalone broker as a separate JVM (broker-bundle's jar and {@code target/lib}, paths passed in by the pom),
 * on 127.0.0.1 and a port free at each start, with its store in {@code DIR/data}. It can be stopped cleanly
 * (SIGTERM: the shutdown hook closes the store) or killed with SIGKILL, and started again on the same store.
 * Each start's output goes to its own file, so a test can read what one start printed.
 */
final class BrokerProcess implements AutoCloseable {
    static final Duration START_TIMEOUT = Duration.ofSeconds(30);
    private static final String MAIN = "org.wrenmq.broker.standalone.Main";

    private final Path dir;
    private final List<String> extraConfig;
    private Process process;
    private int port;
    private Path log;
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
            log = dir.resolve("broker-" + starts + ".log");
            String javaBin = Path.of(System.getProperty("java.home"), "bin", "java").toString();
            String classPath = requiredPath("wrenmq.broker.jar") + ":" + requiredPath("wrenmq.broker.lib") + "/*";
            process = new ProcessBuilder(javaBin, "-Xmx256m", "-cp", classPath, MAIN, "-c", config.toString())
                    .directory(dir.toFile()).redirectErrorStream(true).redirectOutput(log.toFile()).start();
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
        process.destroyForcibly();
        assertThat(waitForExit()).as("broker gone after SIGKILL").isNotNull();
    }

    /** SIGTERM: the broker's shutdown hook closes the listeners and the store. */
    void stop() {
        process.destroy();
        Integer status = waitForExit();
        assertThat(status).as("broker stopped after SIGTERM; output:%n%s", output()).isNotNull();
    }

    /** @return the exit status, or null if still running after the start timeout */
    Integer waitForExit() {
        try {
            return process.waitFor(START_TIMEOUT.toSeconds(), TimeUnit.SECONDS) ? process.exitValue() : null;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return null;
        }
    }

    boolean isAlive() {
        return process != null && process.isAlive();
    }

    /** What the latest start printed so far. */
    String output() {
        try {
            return log == null || !Files.exists(log) ? "" : Files.readString(log, StandardCharsets.UTF_8);
        } catch (IOException e) {
            return "(cannot read " + log + ": " + e + ")";
        }
    }

    @Override
    public void close() {
        if (process != null && process.isAlive()) {
            process.destroyForcibly();
            waitForExit();
        }
    }

    private static String requiredPath(String property) {
        String value = System.getProperty(property);
        assertThat(value).as("system property %s (set by the pom)", property).isNotNull();
        assertThat(Path.of(value)).as("%s, built by broker-bundle's package phase", property).exists();
        return value;
    }
}
