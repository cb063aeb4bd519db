package org.wrenmq.it.appserver.tools;

import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.wrenmq.it.support.Ports;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The default domain ({@code domain1}) of a GlassFish or Payara Server distribution, unpacked fresh from its zip,
 * driven with the distribution's own {@code asadmin} as a user drives it. Before the first start, every port of
 * the domain's {@code server-config} is moved to one free at run time and every listener to 127.0.0.1; the shell
 * commands then reach the admin port through {@code AS_ADMIN_PORT}, so the docs' commands run unchanged.
 * Stopped with {@code asadmin stop-domain}, then by the process id the domain wrote, if it is still alive.
 */
public final class AsadminDomain implements AutoCloseable {

    private static final Duration COMMAND_TIMEOUT = Duration.ofMinutes(4);
    private static final Duration START_TIMEOUT = Duration.ofMinutes(3);
    private static final Duration STOP_TIMEOUT = Duration.ofSeconds(30);
    /** The ports of domain1's server-config as distributed: http, https, admin, iiop (3), jmx, jms. */
    private static final int[] DISTRIBUTED_PORTS = {8080, 8181, 4848, 3700, 3820, 3920, 8686, 7676};
    private static final Pattern HAZELCAST = Pattern.compile("<hazelcast-runtime-configuration ([^>]*)>");

    private final String name;
    private final Path home;
    private final Path work;
    private final Path javaHome;
    private final Map<Integer, Integer> ports = new LinkedHashMap<>();

    private AsadminDomain(String name, Path home, Path work, Path javaHome) {
        this.name = name;
        this.home = home;
        this.work = work;
        this.javaHome = javaHome;
    }

    /** Unpacks the zip into {@code work}/server and moves the domain to free loopback ports. */
    public static AsadminDomain unpack(String name, Path zip, Path work, Path javaHome) throws IOException {
        Distribution.deleteRecursively(work);
        AsadminDomain domain = new AsadminDomain(name, Distribution.unpack(zip, work.resolve("server")), work,
                javaHome);
        domain.moveToFreeLoopbackPorts();
        return domain;
    }

    /** A domain another part of the run started: for more commands against it, not to stop it. */
    public static AsadminDomain attach(String name, Path work, Path javaHome, int adminPort) {
        AsadminDomain domain = new AsadminDomain(name, work.resolve("server"), work, javaHome);
        domain.ports.put(4848, adminPort);
        return domain;
    }

    public Path javaHome() {
        return javaHome;
    }

    public int adminPort() {
        return ports.get(4848);
    }

    public int httpPort() {
        return ports.get(8080);
    }

    public Path domainDirectory() {
        return home.resolve("glassfish/domains/domain1");
    }

    public String serverLog() throws IOException {
        return Files.readString(domainDirectory().resolve("logs/server.log"));
    }

    /**
     * Runs a script of the docs with bash in {@code directory}: {@code asadmin} on the PATH, {@code AS_ADMIN_PORT}
     * and {@code AS_ADMIN_HOST} naming this domain, the given JDK as {@code AS_JAVA} and {@code JAVA_HOME}.
     */
    public String sh(String script, Path directory) throws IOException, InterruptedException {
        Files.createDirectories(directory);
        Path output = Files.createTempFile(work, "sh", ".log");
        ProcessBuilder builder = new ProcessBuilder("bash", "-e", "-u", "-o", "pipefail", "-c", script)
                .directory(directory.toFile()).redirectErrorStream(true).redirectOutput(output.toFile());
        Map<String, String> environment = builder.environment();
        environment.put("PATH", home.resolve("bin") + ":" + javaHome.resolve("bin") + ":"
                + environment.getOrDefault("PATH", "/usr/bin:/bin"));
        environment.put("AS_JAVA", javaHome.toString());
        environment.put("JAVA_HOME", javaHome.toString());
        environment.put("AS_ADMIN_HOST", "127.0.0.1");
        environment.put("AS_ADMIN_PORT", Integer.toString(adminPort()));
        // asadmin waits 60 s for a domain to start, too little on a loaded 2-core machine (milliseconds)
        environment.put("AS_START_TIMEOUT", Long.toString(START_TIMEOUT.toMillis()));
        Process shell = builder.start();
        boolean finished = shell.waitFor(COMMAND_TIMEOUT.toSeconds(), TimeUnit.SECONDS);
        if (!finished) {
            shell.descendants().forEach(ProcessHandle::destroyForcibly);
            shell.destroyForcibly();
        }
        String printed = Files.readString(output);
        if (!finished || shell.exitValue() != 0) {
            throw new AssertionError(name + ": " + (finished ? "exit code " + shell.exitValue() : "no end in "
                    + COMMAND_TIMEOUT) + " from\n" + script + "printed:\n" + printed);
        }
        return printed;
    }

    /**
     * The domain's server process: by the process id the domain wrote, or, before it wrote one (a start that
     * timed out), the java process whose command line names this domain's unpacked directory.
     */
    private Optional<ProcessHandle> server() throws IOException {
        Path pid = domainDirectory().resolve("config/pid");
        if (Files.exists(pid)) {
            Optional<ProcessHandle> written = ProcessHandle.of(Long.parseLong(Files.readString(pid).trim()));
            if (written.isPresent()) {
                return written;
            }
        }
        String directory = home.toString() + "/";
        return ProcessHandle.allProcesses().filter(p -> p.info().commandLine()
                .map(line -> line.contains(directory) && !line.contains("appserver-cli.jar")).orElse(false))
                .findFirst();
    }

    @Override
    public void close() throws IOException, InterruptedException {
        Optional<ProcessHandle> server = server();
        if (server.isEmpty()) {
            return;
        }
        try {
            sh("asadmin stop-domain\n", work);
        } catch (AssertionError e) {
            System.err.println(name + ": stop-domain failed, stopping the server by its process id: " + e);
        }
        ProcessHandle process = server.get();
        process.destroy();
        try {
            await(name + " stopped").atMost(STOP_TIMEOUT).until(() -> !process.isAlive());
        } catch (org.awaitility.core.ConditionTimeoutException e) {
            process.destroyForcibly();
        }
    }

    private void moveToFreeLoopbackPorts() throws IOException {
        Set<Integer> free = new LinkedHashSet<>();
        while (free.size() < DISTRIBUTED_PORTS.length + 3) {
            free.add(Ports.free());
        }
        var next = free.iterator();
        for (int port : DISTRIBUTED_PORTS) {
            ports.put(port, next.next());
        }
        Path file = domainDirectory().resolve("config/domain.xml");
        String xml = Files.readString(file);
        int start = xml.indexOf("<config name=\"server-config\">");
        int end = xml.indexOf("</config>", start);
        String config = xml.substring(start, end);
        for (Map.Entry<Integer, Integer> port : ports.entrySet()) {
            config = config.replace("port=\"" + port.getKey() + "\"", "port=\"" + port.getValue() + "\"")
                    .replace("value=\"" + port.getKey() + "\"", "value=\"" + port.getValue() + "\"");
        }
        config = config.replace("address=\"0.0.0.0\"", "address=\"127.0.0.1\"")
                .replaceAll("<network-listener (?![^>]*address=)", "<network-listener address=\"127.0.0.1\" ")
                .replace("-Dosgi.shell.telnet.port=6666", "-Dosgi.shell.telnet.port=" + next.next()
                        + "</jvm-options>\n<jvm-options>-Dhazelcast.socket.bind.any=false");
        xml = xml.substring(0, start) + config + xml.substring(end);
        // Payara's data grid (Hazelcast) of the DAS: free ports on loopback
        Matcher hazelcast = HAZELCAST.matcher(xml);
        if (hazelcast.find()) {
            xml = hazelcast.replaceFirst("<hazelcast-runtime-configuration start-port=\"" + next.next()
                    + "\" das-port=\"" + next.next() + "\" das-bind-address=\"127.0.0.1\" interface=\"127.0.0.1\""
                    + " auto-increment-port=\"true\">");
        }
        Files.writeString(file, xml);
    }

    @Override
    public String toString() {
        return name + " (" + home + ", admin port " + adminPort() + ")";
    }
}
