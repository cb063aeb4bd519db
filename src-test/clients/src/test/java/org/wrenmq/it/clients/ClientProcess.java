package org.wrenmq.it.clients;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * An external program started by a test (mosquitto_sub, mosquitto_pub, the standalone broker) in the test's
 * folder, its stdout and stderr together in a file. Killed on close if still running: only this process, by its
 * own handle.
 */
final class ClientProcess implements AutoCloseable {
    /** Longest wait for a client program to finish its job. */
    static final long PATIENCE_SECONDS = 20;

    private final Process process;
    private final Path output;
    private final List<String> command;

    private ClientProcess(Process process, Path output, List<String> command) {
        this.process = process;
        this.output = output;
        this.command = command;
    }

    static ClientProcess start(Path dir, List<String> command) {
        return start(dir, command, Map.of());
    }

    /** Starts {@code command} with {@code environment} added to this JVM's environment. */
    static ClientProcess start(Path dir, List<String> command, Map<String, String> environment) {
        try {
            Path output = Files.createTempFile(dir, Path.of(command.get(0)).getFileName().toString(), ".out");
            // run in the test's folder: whatever the program writes to its working directory goes away with it
            ProcessBuilder builder = new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true)
                    .redirectOutput(output.toFile());
            builder.environment().putAll(environment);
            Process process = builder.start();
            return new ClientProcess(process, output, command);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Waits for the program to end and returns its exit status; fails if it does not end in time. */
    int awaitExit() throws InterruptedException {
        assertThat(process.waitFor(PATIENCE_SECONDS, TimeUnit.SECONDS)).as("%s ended; output:%n%s", command, output())
                .isTrue();
        return process.exitValue();
    }

    /** Waits for a successful end and returns the output. */
    String awaitSuccess() throws InterruptedException {
        assertThat(awaitExit()).as("exit status of %s; output:%n%s", command, output()).isZero();
        return output();
    }

    /** Waits for the program to end, whatever its status, and returns the output. */
    String awaitExitOutput() throws InterruptedException {
        awaitExit();
        return output();
    }

    /** SIGKILL, as a crash would; refuses to kill anything but a direct child of this JVM. */
    void killHard() throws InterruptedException {
        assertThat(process.toHandle().parent().map(ProcessHandle::pid))
                .as("parent of the process to kill").contains(ProcessHandle.current().pid());
        process.destroyForcibly();
        assertThat(process.waitFor(PATIENCE_SECONDS, TimeUnit.SECONDS)).as("killed").isTrue();
    }

    /** SIGTERM, as an operator's stop would. */
    void stop() throws InterruptedException {
        process.destroy();
        assertThat(process.waitFor(PATIENCE_SECONDS, TimeUnit.SECONDS)).as("%s stopped", command).isTrue();
    }

    /** The process id (the launcher execs java, so for ./wrenmq this is the broker's JVM). */
    long pid() {
        return process.pid();
    }

    boolean isAlive() {
        return process.isAlive();
    }

    String output() {
        try {
            return Files.readString(output);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public void close() throws InterruptedException {
        if (process.isAlive()) {
            process.destroyForcibly();
            process.waitFor(PATIENCE_SECONDS, TimeUnit.SECONDS);
        }
    }
}
