package org.wrenmq.it.appserver.tools;

import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

/**
 * A mosquitto broker of the test's own: on a free port of 127.0.0.1, with a generated configuration, stopped by
 * process id when the JVM ends. Debian package {@code mosquitto}.
 */
public final class Mosquitto {

    private final int port;
    private final Path config;
    private Process process;

    private Mosquitto(int port, Path config) {
        this.port = port;
        this.config = config;
    }

    public static Mosquitto start() {
        return start(FreePort.find());
    }

    /** Starts on this port: for a test that needs the port known before the broker runs. */
    public static Mosquitto start(int port) {
        return start(port, "allow_anonymous true\n");
    }

    /** Refuses every client but this user with this password (a password file made by mosquitto_passwd). */
    public static Mosquitto startRequiring(String user, String password) {
        try {
            Path dir = Files.createTempDirectory("wrenmq-it-mosquitto-passwd");
            // mosquitto started as root reads its files as the user mosquitto
            Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwxr-xr-x"));
            Path passwords = Files.createFile(dir.resolve("passwd"));
            Process passwd = new ProcessBuilder("mosquitto_passwd", "-b", passwords.toString(), user, password)
                    .redirectErrorStream(true).start();
            if (!passwd.waitFor(30, TimeUnit.SECONDS) || passwd.exitValue() != 0) {
                throw new IllegalStateException("mosquitto_passwd failed: "
                        + new String(passwd.getInputStream().readAllBytes()));
            }
            Files.setPosixFilePermissions(passwords, PosixFilePermissions.fromString("rw-r--r--"));
            return start(FreePort.find(), "allow_anonymous false\npassword_file " + passwords + "\n");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private static Mosquitto start(int port, String access) {
        try {
            Path dir = Files.createTempDirectory("wrenmq-it-mosquitto");
            Path config = dir.resolve("mosquitto.conf");
            Files.writeString(config, "listener " + port + " 127.0.0.1\n"
                    + access
                    + "persistence false\n"
                    + "log_dest file " + dir.resolve("mosquitto.log") + "\n");
            Mosquitto mosquitto = new Mosquitto(port, config);
            mosquitto.launch();
            Runtime.getRuntime().addShutdownHook(new Thread(mosquitto::stop));
            return mosquitto;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public int port() {
        return port;
    }

    /** Stops the broker and starts it again on the same port: every client loses its connection. */
    public synchronized void restart() {
        stop();
        launch();
    }

    private synchronized void launch() {
        try {
            process = new ProcessBuilder("mosquitto", "-c", config.toString()).redirectErrorStream(true)
                    .redirectOutput(config.resolveSibling("mosquitto.out").toFile()).start();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start mosquitto (Debian package mosquitto)", e);
        }
        await("mosquitto listening on " + port).atMost(Duration.ofSeconds(20)).pollInterval(Duration.ofMillis(50))
                .until(this::accepting);
    }

    private boolean accepting() {
        if (!process.isAlive()) {
            throw new IllegalStateException("mosquitto exited with " + process.exitValue());
        }
        try (Socket ignored = new Socket(InetAddress.getLoopbackAddress(), port)) {
            return true;
        } catch (IOException notYet) {
            return false;
        }
    }

    public synchronized void stop() {
        if (process == null) {
            return;
        }
        process.destroy();
        try {
            if (!process.waitFor(10, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        process = null;
    }
}
