package org.wrenmq.it.appserver.scripted;

import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Predicate;

/**
 * A server started in the foreground by its own script, as a docs page says, its console in a file. Stopped by
 * process id: the script and whatever it started (the java may be a child rather than the script itself).
 */
final class ServerProcess implements AutoCloseable {

    private static final Duration START_TIMEOUT = Duration.ofMinutes(3);
    private static final Duration STOP_TIMEOUT = Duration.ofSeconds(30);

    private final Process process;
    private final Path console;

    private ServerProcess(Process process, Path console) {
        this.process = process;
        this.console = console;
    }

    /** Runs {@code commandLine} with bash and waits until {@code started} holds for what it printed. */
    static ServerProcess start(String commandLine, Path directory, Map<String, String> environment, Path console,
            Predicate<String> started) throws IOException {
        ProcessBuilder builder = new ProcessBuilder("bash", "-c", "exec " + commandLine.strip())
                .directory(directory.toFile()).redirectErrorStream(true).redirectOutput(console.toFile());
        builder.environment().putAll(environment);
        ServerProcess server = new ServerProcess(builder.start(), console);
        try {
            await("server started (" + console + ")").atMost(START_TIMEOUT).pollInterval(Duration.ofMillis(250))
                    .until(() -> {
                        if (!server.process.isAlive()) {
                            throw new AssertionError("exited with " + server.process.exitValue() + ": "
                                    + server.console());
                        }
                        return started.test(server.console());
                    });
        } catch (RuntimeException | AssertionError e) {
            server.close();
            throw e;
        }
        return server;
    }

    String console() {
        try {
            return Files.readString(console);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public void close() {
        List<ProcessHandle> all = new ArrayList<>(process.descendants().toList());
        all.add(process.toHandle());
        all.forEach(ProcessHandle::destroy);
        for (ProcessHandle handle : all) {
            try {
                handle.onExit().get(STOP_TIMEOUT.toSeconds(), TimeUnit.SECONDS);
            } catch (ExecutionException | TimeoutException e) {
                handle.destroyForcibly();
            } catch (InterruptedException e) {
                handle.destroyForcibly();
                Thread.currentThread().interrupt();
            }
        }
    }
}
