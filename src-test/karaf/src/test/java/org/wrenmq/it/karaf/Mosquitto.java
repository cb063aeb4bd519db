package org.wrenmq.it.karaf;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** mosquitto's command line clients (Debian package mosquitto-clients), against a broker on loopback. */
final class Mosquitto {
    private static final Duration PUBLISH_TIMEOUT = Duration.ofSeconds(15);

    private Mosquitto() {
    }

    /**
     * A {@code mosquitto_sub} that prints "topic payload" for the first message, then exits (or after 60 s).
     * {@code options} are more mosquitto_sub options, e.g. {@code -u USER -P PASSWORD}.
     */
    static Subscriber subscribeOne(int port, String topicFilter, Path output, String... options) throws IOException {
        List<String> command = new java.util.ArrayList<>(List.of("mosquitto_sub", "-h", "127.0.0.1", "-p",
                Integer.toString(port), "-t", topicFilter, "-q", "1", "-v", "-C", "1", "-W", "60"));
        command.addAll(List.of(options));
        Process process = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(output.toFile()).start();
        return new Subscriber(process, output);
    }

    static void publish(int port, String topic, String message, String... options) throws IOException,
            InterruptedException {
        Result result = run(port, topic, message, options);
        if (result.exitStatus() != 0) {
            throw new IllegalStateException("mosquitto_pub exit " + result.exitStatus() + ": " + result.printed());
        }
    }

    /** What one mosquitto_pub ended with: its exit status (the CONNACK code when refused) and what it printed. */
    record Result(int exitStatus, String printed) {
    }

    static Result run(int port, String topic, String message, String... options) throws IOException,
            InterruptedException {
        List<String> command = new java.util.ArrayList<>(List.of("mosquitto_pub", "-h", "127.0.0.1", "-p",
                Integer.toString(port), "-t", topic, "-m", message));
        command.addAll(List.of(options));
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        String printed = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!process.waitFor(PUBLISH_TIMEOUT.toSeconds(), TimeUnit.SECONDS)) {
            process.destroyForcibly();
            throw new IllegalStateException("mosquitto_pub hung: " + printed);
        }
        return new Result(process.exitValue(), printed);
    }

    record Subscriber(Process process, Path output) implements AutoCloseable {
        boolean finished() {
            return !process.isAlive();
        }

        String printed() throws IOException {
            return Files.readString(output, StandardCharsets.UTF_8).trim();
        }

        @Override
        public void close() {
            process.destroy();
        }
    }
}
