package org.wrenmq.it.appserver.tools;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/** Runs a docs page's shell commands as a user would type them: bash, stop at the first failing command. */
public final class Shell {

    private static final Duration TIMEOUT = Duration.ofMinutes(2);

    private Shell() {
    }

    /** Runs {@code script} in {@code directory} with these environment variables added; returns what it printed. */
    public static String run(String script, Path directory, Map<String, String> environment)
            throws IOException, InterruptedException {
        Files.createDirectories(directory);
        // printed into a file, not a pipe: a hanging command must not block the test beyond the timeout
        Path output = Files.createTempFile("wrenmq-it-sh", ".log");
        ProcessBuilder builder = new ProcessBuilder("bash", "-e", "-u", "-o", "pipefail", "-c", script)
                .directory(directory.toFile()).redirectErrorStream(true).redirectOutput(output.toFile());
        builder.environment().putAll(environment);
        Process shell = builder.start();
        boolean finished = shell.waitFor(TIMEOUT.toSeconds(), TimeUnit.SECONDS);
        if (!finished) {
            shell.descendants().forEach(ProcessHandle::destroyForcibly);
            shell.destroyForcibly();
        }
        String printed = Files.readString(output);
        Files.delete(output);
        if (!finished) {
            throw new AssertionError("did not finish in " + TIMEOUT + ":\n" + script + printed);
        }
        if (shell.exitValue() != 0) {
            throw new AssertionError("exit code " + shell.exitValue() + " from\n" + script + "printed:\n" + printed);
        }
        return printed;
    }

    /** A user's shell: the JDK this test runs on first in PATH (its jar and java), JAVA_HOME set. */
    public static Map<String, String> withThisJdk(Map<String, String> environment) {
        Path java = Path.of(System.getProperty("java.home"));
        Map<String, String> all = new java.util.HashMap<>(environment);
        all.put("JAVA_HOME", java.toString());
        all.put("PATH", java.resolve("bin") + ":" + System.getenv().getOrDefault("PATH", "/usr/bin:/bin"));
        return all;
    }
}
