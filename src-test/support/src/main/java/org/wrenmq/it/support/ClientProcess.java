package org.wrenmq.it.support;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedReader;
import java.io.IOException;
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
import java.util.function.Consumer;

/**
 * An external program started by a test (mosquitto_sub, mosquitto_pub, mosquitto, node, npm, {@code ./wrenmq}) in
 * the test's folder. What it prints is collected as it comes: its standard output line by line, so a test can wait
 * for one ("ready") before acting, and everything it printed on both streams in order. Killed on close if still
 * running: only this process and its children, by their own handles.
 */
public final class ClientProcess implements AutoCloseable {
    /** Longest wait for a program to finish its job. */
    public static final Duration PATIENCE = Duration.ofSeconds(20);

    private final List<String> command;
    private final Process process;
    private final BlockingQueue<String> unread = new LinkedBlockingQueue<>();
    private final List<String> stdout = new ArrayList<>();
    private final StringBuilder stderr = new StringBuilder();
    private final StringBuilder everything = new StringBuilder();
    private final Thread stdoutReader;
    private final Thread stderrReader;

    private ClientProcess(List<String> command, Process process) {
        this.command = command;
        this.process = process;
        this.stdoutReader = pump(process.inputReader(StandardCharsets.UTF_8), line -> {
            synchronized (this) {
                stdout.add(line);
                everything.append(line).append('\n');
            }
            unread.add(line);
        });
        this.stderrReader = pump(process.errorReader(StandardCharsets.UTF_8), line -> {
            synchronized (this) {
                stderr.append(line).append('\n');
                everything.append(line).append('\n');
            }
        });
    }

    public static ClientProcess start(Path dir, String... command) {
        return start(dir, List.of(command), Map.of());
    }

    public static ClientProcess start(Path dir, List<String> command) {
        return start(dir, command, Map.of());
    }

    /** Starts {@code command} in {@code dir} with {@code environment} added to this JVM's environment. */
    public static ClientProcess start(Path dir, List<String> command, Map<String, String> environment) {
        // run in the test's folder: whatever the program writes to its working directory goes away with it
        ProcessBuilder builder = new ProcessBuilder(command).directory(dir.toFile());
        builder.environment().putAll(environment);
        try {
            return new ClientProcess(List.copyOf(command), builder.start());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start " + String.join(" ", command), e);
        }
    }

    private static Thread pump(BufferedReader reader, Consumer<String> sink) {
        Thread thread = new Thread(() -> {
            try (reader) {
                String line;
                while ((line = reader.readLine()) != null) {
                    sink.accept(line);
                }
            } catch (IOException e) {
                // the process ended: nothing more to read
            }
        }, "client-output");
        thread.setDaemon(true);
        thread.start();
        return thread;
    }

    /** The next line of standard output not read yet; fails if none comes in time. */
    public String nextLine(Duration wait) {
        String line = waitFor(() -> unread.poll(wait.toMillis(), TimeUnit.MILLISECONDS));
        if (line == null) {
            throw new AssertionError("no output from " + this + " within " + wait + "; stderr: " + stderr());
        }
        return line;
    }

    /** Waits for the program to end and returns its exit status; kills it and fails if it does not end in time. */
    public int awaitExit(Duration wait) {
        if (!ended(wait)) {
            kill();
            throw new AssertionError(this + " still running after " + wait + "; output:\n" + output());
        }
        // what the program printed last is read once the pipes are drained
        waitFor(() -> {
            stdoutReader.join(wait.toMillis());
            stderrReader.join(wait.toMillis());
            return null;
        });
        return process.exitValue();
    }

    public int awaitExit() {
        return awaitExit(PATIENCE);
    }

    /** Waits for a successful end and returns everything the program printed. */
    public String awaitSuccess() {
        assertThat(awaitExit()).as("exit status of %s; output:%n%s", command, output()).isZero();
        return output();
    }

    /** Waits for the program to end, whatever its status, and returns everything it printed. */
    public String awaitExitOutput() {
        awaitExit();
        return output();
    }

    /** SIGKILL to the program and its children, as a crash would: the broker sees its connections drop. */
    public void kill() {
        process.descendants().forEach(ProcessHandle::destroyForcibly);
        process.destroyForcibly();
        assertThat(ended(PATIENCE)).as("%s killed", command).isTrue();
    }

    /** SIGTERM, as an operator's stop would. */
    public void stop() {
        process.destroy();
        assertThat(ended(PATIENCE)).as("%s stopped", command).isTrue();
    }

    /** The process id (the launcher execs java, so for ./wrenmq this is the broker's JVM). */
    public long pid() {
        return process.pid();
    }

    public boolean isAlive() {
        return process.isAlive();
    }

    /** Everything printed so far, standard output and standard error, in the order the lines came. */
    public synchronized String output() {
        return everything.toString();
    }

    /** The lines of standard output so far. */
    public synchronized List<String> lines() {
        return List.copyOf(stdout);
    }

    public synchronized String stderr() {
        return stderr.toString();
    }

    @Override
    public void close() {
        if (process.isAlive()) {
            kill();
        }
    }

    private boolean ended(Duration wait) {
        return waitFor(() -> process.waitFor(wait.toMillis(), TimeUnit.MILLISECONDS));
    }

    /** Tests wait without declaring InterruptedException: an interrupt ends the test with an error. */
    private static <T> T waitFor(Waiting<T> waiting) {
        try {
            return waiting.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while waiting for a child process", e);
        }
    }

    @FunctionalInterface
    private interface Waiting<T> {
        T get() throws InterruptedException;
    }

    @Override
    public String toString() {
        return String.join(" ", command) + " (pid " + process.pid() + ")";
    }
}
