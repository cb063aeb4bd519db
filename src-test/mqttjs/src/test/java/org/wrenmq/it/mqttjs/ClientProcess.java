package org.wrenmq.it.mqttjs;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * A client program (node, mosquitto_sub, mosquitto_pub, npm) run as a child process: its output lines are
 * collected as they come, so a test can wait for one ("ready") before acting; it is killed, by its own PID and
 * its children's, if it outlives its time.
 */
final class ClientProcess implements AutoCloseable {
    private final List<String> command;
    private final Process process;
    private final BlockingQueue<String> lines = new LinkedBlockingQueue<>();
    private final List<String> all = new ArrayList<>();
    private final StringBuilder errors = new StringBuilder();
    private final Thread stdoutReader;
    private final Thread stderrReader;

    private ClientProcess(List<String> command, Process process) {
        this.command = command;
        this.process = process;
        this.stdoutReader = pump(process.inputReader(StandardCharsets.UTF_8), line -> {
            synchronized (all) {
                all.add(line);
            }
            lines.add(line);
        });
        this.stderrReader = pump(process.errorReader(StandardCharsets.UTF_8), line -> {
            synchronized (errors) {
                errors.append(line).append('\n');
            }
        });
    }

    static ClientProcess start(Path workingDirectory, Map<String, String> environment, String... command) {
        ProcessBuilder builder = new ProcessBuilder(command).directory(workingDirectory.toFile());
        builder.environment().putAll(environment);
        try {
            return new ClientProcess(List.of(command), builder.start());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start " + String.join(" ", command), e);
        }
    }

    static ClientProcess start(Path workingDirectory, String... command) {
        return start(workingDirectory, Map.of(), command);
    }

    private static Thread pump(BufferedReader reader, java.util.function.Consumer<String> sink) {
        Thread t = new Thread(() -> {
            try (reader) {
                String line;
                while ((line = reader.readLine()) != null) {
                    sink.accept(line);
                }
            } catch (IOException e) {
                // the process ended: nothing more to read
            }
        }, "client-output");
        t.setDaemon(true);
        t.start();
        return t;
    }

    /** Waits for the next output line; fails if none comes in time. */
    String nextLine(Duration wait) {
        try {
            String line = lines.poll(wait.toMillis(), TimeUnit.MILLISECONDS);
            if (line == null) {
                throw new AssertionError("no output from " + this + " within " + wait + "; stderr: " + stderr());
            }
            return line;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** Waits for the process to end on its own and returns its exit code; kills it and fails if it does not. */
    int awaitExit(Duration wait) {
        try {
            if (!process.waitFor(wait.toMillis(), TimeUnit.MILLISECONDS)) {
                close();
                throw new AssertionError(this + " still running after " + wait + "; output: " + output()
                        + "; stderr: " + stderr());
            }
            stdoutReader.join(wait.toMillis());
            stderrReader.join(wait.toMillis());
            return process.exitValue();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** Every stdout line so far. */
    List<String> output() {
        synchronized (all) {
            return List.copyOf(all);
        }
    }

    String stderr() {
        synchronized (errors) {
            return errors.toString();
        }
    }

    /** Kills the process at once (SIGKILL), as a crash would: the broker sees the connection drop. */
    void kill() {
        process.descendants().forEach(ProcessHandle::destroyForcibly);
        process.destroyForcibly();
        try {
            process.waitFor(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public void close() {
        if (process.isAlive()) {
            kill();
        }
    }

    @Override
    public String toString() {
        return String.join(" ", command) + " (pid " + process.pid() + ")";
    }
}
