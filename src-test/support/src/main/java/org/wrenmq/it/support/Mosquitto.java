package org.wrenmq.it.support;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * A mosquitto broker of the test's own (Debian package {@code mosquitto}): on a port of 127.0.0.1, with a
 * configuration written into the test's folder, run as whoever runs the test (as root mosquitto would switch to a
 * user who cannot read that folder), stopped by its own process handle.
 */
public final class Mosquitto implements AutoCloseable {
    /** Where Debian installs the broker. */
    public static final Path PROGRAM = Path.of("/usr/sbin/mosquitto");

    private final Path dir;
    private final Path config;
    private final int port;
    private ClientProcess process;

    private Mosquitto(Path dir, Path config, int port) {
        this.dir = dir;
        this.config = config;
        this.port = port;
    }

    /** Whether the broker is installed, for a test that compares with it to assume. */
    public static boolean installed() {
        return Files.isExecutable(PROGRAM);
    }

    /** Starts on a free port with these lines added to the listener's configuration. */
    public static Mosquitto start(Path dir, String... configLines) {
        return start(dir, Ports.free(), configLines);
    }

    /** Starts on this port: for a test that needs the port known before the broker runs. */
    public static Mosquitto start(Path dir, int port, String... configLines) {
        List<String> lines = new ArrayList<>(List.of("listener " + port + " 127.0.0.1",
                "user " + System.getProperty("user.name"), "persistence false"));
        lines.addAll(List.of(configLines));
        try {
            Path config = Files.write(dir.resolve("mosquitto-" + port + ".conf"), lines);
            Mosquitto mosquitto = new Mosquitto(dir, config, port);
            mosquitto.launch();
            return mosquitto;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * Starts in a folder of its own, open to anonymous clients, and stops when the JVM ends: for a broker that
     * outlives one test, such as the one an application server's deployments, made once per class, connect to.
     */
    public static Mosquitto startUntilJvmEnds(int port) {
        try {
            Mosquitto mosquitto = start(Files.createTempDirectory("wrenmq-it-mosquitto"), port, "allow_anonymous true");
            Runtime.getRuntime().addShutdownHook(new Thread(mosquitto::close));
            return mosquitto;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * Refuses every client but this user with this password (a password file made by mosquitto_passwd), on a free
     * port, until the JVM ends: for an external broker that asks the adapter for credentials.
     */
    public static Mosquitto startRequiring(String user, String password) {
        try {
            Path dir = Files.createTempDirectory("wrenmq-it-mosquitto-passwd");
            Path passwords = dir.resolve("passwd");
            ClientProcess passwd = ClientProcess.start(dir, "mosquitto_passwd", "-c", "-b", passwords.toString(),
                    user, password);
            passwd.awaitSuccess();
            Mosquitto mosquitto = start(dir, Ports.free(), "allow_anonymous false", "password_file " + passwords);
            Runtime.getRuntime().addShutdownHook(new Thread(mosquitto::close));
            return mosquitto;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public int port() {
        return port;
    }

    /** What the broker printed since its last start. */
    public synchronized String output() {
        return process == null ? "" : process.output();
    }

    /** Stops the broker and starts it again on the same port: every client loses its connection. */
    public synchronized void restart() {
        stop();
        launch();
    }

    private synchronized void launch() {
        process = ClientProcess.start(dir, (installed() ? PROGRAM.toString() : "mosquitto"), "-c", config.toString());
        ClientProcess started = process;
        await("mosquitto listening on " + port).atMost(ClientProcess.PATIENCE).pollInterval(Duration.ofMillis(50))
                .until(() -> {
                    assertThat(started.isAlive()).as("mosquitto running; output:%n%s", started.output()).isTrue();
                    return Ports.listening(port);
                });
    }

    /** SIGTERM, and waits until the broker is gone. */
    public synchronized void stop() {
        if (process != null) {
            process.stop();
            process = null;
        }
    }

    @Override
    public synchronized void close() {
        if (process != null) {
            process.close();
            process = null;
        }
    }
}
