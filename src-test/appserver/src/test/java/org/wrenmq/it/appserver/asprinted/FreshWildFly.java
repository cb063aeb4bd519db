package org.wrenmq.it.appserver.asprinted;

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
import org.wrenmq.it.appserver.launcher.WildFlyPortOffset;
import org.wrenmq.it.appserver.tools.Distribution;

/**
 * A WildFly unpacked fresh from its distribution zip, as a user gets it, started with {@code bin/standalone.sh}
 * and the shell commands of the docs run against it with {@code JBOSS_HOME} set. Bound to 127.0.0.1 (WildFly's
 * default) with a port offset free at run time; stopped by process id, the script and its java child.
 */
final class FreshWildFly implements AutoCloseable {

    private static final Duration START_TIMEOUT = Duration.ofMinutes(3);
    private static final Duration COMMAND_TIMEOUT = Duration.ofMinutes(2);
    private static final Duration STOP_TIMEOUT = Duration.ofSeconds(30);
    private static final int START_ATTEMPTS = 3;

    private final Path home;
    private final Path work;
    private int portOffset;
    private Process process;

    private FreshWildFly(Path home, Path work, int portOffset) {
        this.home = home;
        this.work = work;
        this.portOffset = portOffset;
    }

    /** Unpacks the zip into {@code work}/wildfly after removing what an earlier run left in {@code work}. */
    static FreshWildFly unpack(Path zip, Path work) throws IOException {
        Distribution.deleteRecursively(work);
        Path target = Distribution.unpack(zip, work.resolve("wildfly"));
        return new FreshWildFly(target, work, WildFlyPortOffset.findFree());
    }

    Path home() {
        return home;
    }

    int managementPort() {
        return WildFlyPortOffset.MANAGEMENT_PORT + portOffset;
    }

    /**
     * Starts the server with this command line (the page's, naming {@code $JBOSS_HOME}) and the port offset,
     * and waits until WildFly says it started.
     */
    void start(String commandLine) throws IOException, InterruptedException {
        for (int attempt = 1; ; attempt++) {
            try {
                launch(commandLine);
                return;
            } catch (PortTaken e) {
                close();
                if (attempt == START_ATTEMPTS) {
                    throw new AssertionError("a port of WildFly was taken " + START_ATTEMPTS + " times", e);
                }
                portOffset = WildFlyPortOffset.findFree();
            }
        }
    }

    private void launch(String commandLine) throws IOException {
        ProcessBuilder builder = new ProcessBuilder("bash", "-c",
                "exec " + commandLine.strip() + " -Djboss.socket.binding.port-offset=" + portOffset)
                .directory(work.toFile()).redirectErrorStream(true)
                .redirectOutput(work.resolve("console.log").toFile());
        environment(builder.environment());
        process = builder.start();
        await("WildFly started (" + work.resolve("console.log") + ")").atMost(START_TIMEOUT)
                .pollInterval(Duration.ofMillis(250)).until(() -> {
                    if (!process.isAlive()) {
                        if (console().contains("Address already in use")) {
                            throw new PortTaken();
                        }
                        throw new AssertionError("WildFly exited with " + process.exitValue() + ": " + console());
                    }
                    // WFLYSRV0025: started; WFLYSRV0026: started with some services failed
                    return console().contains("WFLYSRV0025") || console().contains("WFLYSRV0026");
                });
    }

    /** Runs a shell script of the page in {@code directory} with {@code JBOSS_HOME} set; returns what it printed. */
    String sh(String script, Path directory) throws IOException, InterruptedException {
        Files.createDirectories(directory);
        // printed into a file, not a pipe: a hanging command must not block the test beyond the timeout
        Path output = Files.createTempFile(work, "sh", ".log");
        ProcessBuilder builder = new ProcessBuilder("bash", "-e", "-u", "-o", "pipefail", "-c", script)
                .directory(directory.toFile()).redirectErrorStream(true).redirectOutput(output.toFile());
        environment(builder.environment());
        Process shell = builder.start();
        boolean finished = shell.waitFor(COMMAND_TIMEOUT.toSeconds(), TimeUnit.SECONDS);
        if (!finished) {
            shell.descendants().forEach(ProcessHandle::destroyForcibly);
            shell.destroyForcibly();
        }
        String printed = Files.readString(output);
        if (!finished) {
            throw new AssertionError("did not finish in " + COMMAND_TIMEOUT + ":\n" + script + printed);
        }
        if (shell.exitValue() != 0) {
            throw new AssertionError("exit code " + shell.exitValue() + " from\n" + script + "printed:\n" + printed);
        }
        return printed;
    }

    /** Waits for the deployment scanner's marker of this file in standalone/deployments; fails on .failed. */
    void awaitDeployed(String deployment) throws IOException {
        String failure = awaitOutcome(deployment);
        if (failure != null) {
            throw new AssertionError(deployment + " failed: " + failure);
        }
    }

    /** Waits for the deployment to fail; returns the scanner's .failed file, the reason. */
    String awaitFailed(String deployment) throws IOException {
        String failure = awaitOutcome(deployment);
        if (failure == null) {
            throw new AssertionError(deployment + " deployed, expected it to fail");
        }
        return failure;
    }

    /** Null once deployed, the content of the .failed marker once failed. */
    private String awaitOutcome(String deployment) throws IOException {
        Path deployments = home.resolve("standalone/deployments");
        Path failed = deployments.resolve(deployment + ".failed");
        await(deployment + ".deployed or .failed").atMost(START_TIMEOUT).pollInterval(Duration.ofMillis(250))
                .until(() -> Files.exists(failed) || Files.exists(deployments.resolve(deployment + ".deployed")));
        return Files.exists(failed) ? Files.readString(failed) : null;
    }

    String serverLog() throws IOException {
        return Files.readString(home.resolve("standalone/log/server.log"));
    }

    private String console() {
        try {
            return Files.readString(work.resolve("console.log"));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** A user's shell: the JDK this test runs on first in PATH (its jar and java), JBOSS_HOME set. */
    private void environment(Map<String, String> environment) {
        Path java = Path.of(System.getProperty("java.home"));
        environment.put("JAVA_HOME", java.toString());
        environment.put("PATH", java.resolve("bin") + ":" + environment.getOrDefault("PATH", "/usr/bin:/bin"));
        environment.put("JBOSS_HOME", home.toString());
    }

    /** Stops the script and the java it started: destroying the script alone would leave WildFly running. */
    @Override
    public void close() throws InterruptedException {
        if (process == null) {
            return;
        }
        List<ProcessHandle> all = new ArrayList<>(process.descendants().toList());
        all.add(process.toHandle());
        all.forEach(ProcessHandle::destroy);
        for (ProcessHandle handle : all) {
            try {
                handle.onExit().get(STOP_TIMEOUT.toSeconds(), TimeUnit.SECONDS);
            } catch (ExecutionException | TimeoutException e) {
                handle.destroyForcibly();
            }
        }
        process = null;
    }

    /** Another process took one of WildFly's ports after the offset was chosen: worth another offset. */
    private static final class PortTaken extends RuntimeException {
        private static final long serialVersionUID = 1L;
    }
}
