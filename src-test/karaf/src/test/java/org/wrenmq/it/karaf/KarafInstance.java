package org.wrenmq.it.karaf;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.UnaryOperator;
import java.util.regex.Matcher;

/**
 * A real Apache Karaf, unpacked fresh from the distribution tar.gz (old {@code data/} and {@code etc/} would keep
 * state between runs), bound to loopback on free ports, installing features from the build's local Maven
 * repository only, and run as {@code bin/karaf server}.
 */
final class KarafInstance implements AutoCloseable {
    private static final Duration UNPACK_TIMEOUT = Duration.ofSeconds(60);
    private static final Duration CLIENT_TIMEOUT = Duration.ofSeconds(60);
    private static final Duration STOP_TIMEOUT = Duration.ofSeconds(20);

    private final Path home;
    private final int sshPort;
    private Process process;

    private KarafInstance(Path home, int sshPort) {
        this.home = home;
        this.sshPort = sshPort;
    }

    /** Unpacks the distribution into {@code workDirectory}/karaf, removing what an earlier run left there. */
    static KarafInstance unpack(Path tarball, Path workDirectory, int sshPort) throws IOException,
            InterruptedException {
        deleteRecursively(workDirectory);
        Path target = Files.createDirectories(workDirectory.resolve("karaf"));
        run(List.of("tar", "xzf", tarball.toString(), "-C", target.toString(), "--strip-components=1"),
                target, UNPACK_TIMEOUT);
        return new KarafInstance(target, sshPort);
    }

    Path home() {
        return home;
    }

    Path etc(String file) {
        return home.resolve("etc").resolve(file);
    }

    /** Loopback only, free ports, the test user, Maven artifacts from the given local repository only. */
    void prepare(Path localMavenRepository, int rmiRegistryPort, int rmiServerPort) throws IOException {
        edit(etc("org.apache.karaf.shell.cfg"), text -> text
                .replaceFirst("(?m)^sshPort\\s*=.*$", "sshPort = " + sshPort)
                .replaceFirst("(?m)^sshHost\\s*=.*$", "sshHost = 127.0.0.1"));
        edit(etc("org.apache.karaf.management.cfg"), text -> text
                .replaceFirst("(?m)^rmiRegistryPort\\s*=.*$", "rmiRegistryPort = " + rmiRegistryPort)
                .replaceFirst("(?m)^rmiServerPort\\s*=.*$", "rmiServerPort = " + rmiServerPort));
        edit(etc("users.properties"), text -> text
                .replaceFirst("(?m)^#karaf = ", "karaf = ")
                .replaceFirst("(?m)^#_g_\\\\:admingroup = ", Matcher.quoteReplacement("_g_\\:admingroup = ")));
        // Later keys win: no remote repository, so the test sees what this build installed and nothing else.
        edit(etc("org.ops4j.pax.url.mvn.cfg"), text -> text
                + "\norg.ops4j.pax.url.mvn.repositories =\n"
                + "org.ops4j.pax.url.mvn.localRepository = " + localMavenRepository + "\n");
    }

    /** Adds a features repository and a feature to what Karaf installs at boot. */
    void bootFeature(String repositoryUrl, String feature) throws IOException {
        edit(etc("org.apache.karaf.features.cfg"), text -> text
                .replaceFirst("featuresRepositories\\s*=\\s*\\\\", Matcher.quoteReplacement(
                        "featuresRepositories = " + repositoryUrl + ", \\"))
                .replaceFirst("featuresBoot\\s*=\\s*\\\\", Matcher.quoteReplacement(
                        "featuresBoot = " + feature + ", \\")));
    }

    /**
     * Writes {@code etc/org.wrenmq.broker.cfg} as the feature of this version installs it (from the local Maven
     * repository), with another port. Written before {@code feature:install}, it stays: the feature's configfile
     * never overwrites it.
     */
    void writeBrokerConfig(Path localMavenRepository, String version, int port) throws IOException {
        Path defaults = localMavenRepository.resolve("org/wrenmq/features/" + version + "/features-" + version
                + "-broker.cfg");
        String text = Files.readString(defaults);
        String withPort = text.replaceFirst("(?m)^port = 1883$", "port = " + port);
        if (withPort.equals(text)) {
            throw new IllegalStateException("no line 'port = 1883' in " + defaults);
        }
        Files.writeString(etc("org.wrenmq.broker.cfg"), withPort);
    }

    /** Adds {@code key = value} lines to {@code etc/org.wrenmq.broker.cfg} (after {@link #writeBrokerConfig}). */
    void appendBrokerConfig(String... lines) throws IOException {
        Files.writeString(etc("org.wrenmq.broker.cfg"), String.join("\n", lines) + "\n",
                java.nio.file.StandardOpenOption.APPEND);
    }

    void start(Path consoleLog) throws IOException {
        ProcessBuilder builder = new ProcessBuilder(home.resolve("bin/karaf").toString(), "server")
                .directory(home.toFile()).redirectErrorStream(true).redirectOutput(consoleLog.toFile());
        builder.environment().put("JAVA_MAX_MEM", "512M");
        builder.environment().put("JAVA_MIN_MEM", "128M");
        builder.environment().put("JAVA_HOME", System.getProperty("java.home"));
        process = builder.start();
    }

    boolean isRunning() {
        return process != null && process.isAlive();
    }

    /** Runs shell commands through bin/client in batch mode; returns what they printed. */
    String shell(String... commands) throws IOException, InterruptedException {
        Path script = Files.createTempFile(home, "commands", ".txt");
        Files.writeString(script, String.join("\n", commands) + "\n");
        ProcessBuilder builder = new ProcessBuilder(home.resolve("bin/client").toString(), "-h", "127.0.0.1",
                "-a", Integer.toString(sshPort), "-u", "karaf", "-p", "karaf", "-r", "10", "-b")
                .directory(home.toFile()).redirectErrorStream(true).redirectInput(script.toFile())
                // into a file, not a pipe: a hanging client must not block the test beyond the timeout
                .redirectOutput(script.resolveSibling(script.getFileName() + ".out").toFile());
        builder.environment().put("JAVA_HOME", System.getProperty("java.home"));
        Process client = builder.start();
        if (!client.waitFor(CLIENT_TIMEOUT.toSeconds(), TimeUnit.SECONDS)) {
            client.descendants().forEach(ProcessHandle::destroyForcibly);
            client.destroyForcibly();
        }
        return Files.readString(script.resolveSibling(script.getFileName() + ".out"), StandardCharsets.UTF_8);
    }

    /** Stops the script and the JVM it started (destroying the script alone leaves the JVM running). */
    @Override
    public void close() throws InterruptedException {
        if (process == null) {
            return;
        }
        List<ProcessHandle> all = new java.util.ArrayList<>(process.descendants().toList());
        all.add(process.toHandle());
        all.forEach(ProcessHandle::destroy);
        for (ProcessHandle handle : all) {
            try {
                handle.onExit().get(STOP_TIMEOUT.toSeconds(), TimeUnit.SECONDS);
            } catch (java.util.concurrent.ExecutionException | java.util.concurrent.TimeoutException e) {
                handle.destroyForcibly();
            }
        }
    }

    private static void edit(Path file, UnaryOperator<String> change) throws IOException {
        String before = Files.readString(file);
        String after = change.apply(before);
        if (after.equals(before)) {
            throw new IllegalStateException("nothing to change in " + file + ": has Karaf's default changed?");
        }
        Files.writeString(file, after);
    }

    private static void deleteRecursively(Path directory) throws IOException {
        if (!Files.exists(directory)) {
            return;
        }
        try (java.util.stream.Stream<Path> paths = Files.walk(directory)) {
            for (Path path : paths.sorted(java.util.Comparator.reverseOrder()).toList()) {
                Files.delete(path);
            }
        }
    }

    private static void run(List<String> command, Path directory, Duration timeout) throws IOException,
            InterruptedException {
        Process p = new ProcessBuilder(command).directory(directory.toFile()).inheritIO().start();
        if (!p.waitFor(timeout.toSeconds(), TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new IllegalStateException(command + " did not finish in " + timeout);
        }
        if (p.exitValue() != 0) {
            throw new IllegalStateException(command + " failed with exit code " + p.exitValue());
        }
    }
}
