package org.wrenmq.it.appserver.launcher;

import static org.awaitility.Awaitility.await;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.platform.launcher.LauncherSession;
import org.junit.platform.launcher.LauncherSessionListener;
import org.wrenmq.it.appserver.tools.AsadminDomain;
import org.wrenmq.it.support.DocPage;
import org.wrenmq.it.support.Ports;

/**
 * Starts the servers of the {@code asadmin} run ({@code arquillian.launch=asadmin}: GlassFish 7, GlassFish 8,
 * Payara Server) in parallel before Arquillian connects to them, each by following its docs page as printed: the
 * page's command that starts the domain, then the page's asadmin commands that deploy and configure the adapter.
 * What the test changes, and only that: the domain's ports are free ones on 127.0.0.1, the broker's
 * {@code port=1883:bindAddress=0.0.0.0:} becomes a free port, {@code 127.0.0.1} and {@code persistence=false},
 * and the commands run beside the built RAR. Sets {@code wrenmq.NAME.adminPort} and {@code wrenmq.NAME.mqttPort}
 * for {@code arquillian.xml} and the tests; stops every domain when the run ends.
 *
 * <p>{@code wrenmq.asadmin.servers} names the servers to start; Arquillian's {@code asadmin} group connects to all
 * three, so a run of the Arquillian tests needs all three (a shorter list suits {@code PasswordAliasIT} alone).
 */
public final class AsadminServers implements LauncherSessionListener {

    /** A server of this run: its docs page and the headings of the page's two command blocks. */
    record Server(String name, String page, String startHeading, String adapterHeading) {
    }

    static final List<Server> SERVERS = List.of(
            new Server("glassfish7", "jakarta-ee/glassfish.md", "## 1. Start the domain",
                    "## 2. Deploy the adapter"),
            new Server("glassfish8", "jakarta-ee/glassfish.md", "## 1. Start the domain",
                    "## 2. Deploy the adapter"),
            new Server("payara-server", "jakarta-ee/payara.md", "### Payara Server 1. Start the domain",
                    "### Payara Server 2. Deploy the adapter"));

    public static final String BROKER_AS_PRINTED = "port=1883:bindAddress=0.0.0.0:";

    private final List<AsadminDomain> started = new ArrayList<>();

    @Override
    public void launcherSessionOpened(LauncherSession session) {
        if (!"asadmin".equals(System.getProperty("arquillian.launch"))
                || System.getProperty("wrenmq.asadmin.started") != null) {
            return;
        }
        System.setProperty("wrenmq.asadmin.started", "true");
        List<String> names = Arrays.asList(System.getProperty("wrenmq.asadmin.servers").split(","));
        ExecutorService starting = Executors.newFixedThreadPool(names.size());
        try {
            List<Future<?>> all = new ArrayList<>();
            for (Server server : SERVERS) {
                if (names.contains(server.name())) {
                    all.add(starting.submit(() -> {
                        start(server);
                        return null;
                    }));
                }
            }
            // every start ends (or fails) before any domain is stopped: a domain still starting would be missed
            Throwable failure = null;
            for (Future<?> future : all) {
                try {
                    future.get();
                } catch (ExecutionException e) {
                    failure = failure == null ? e.getCause() : failure;
                }
            }
            if (failure != null) {
                failure.printStackTrace();
                launcherSessionClosed(session);
                throw new IllegalStateException("a server of the asadmin run did not start: " + failure, failure);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            launcherSessionClosed(session);
            throw new IllegalStateException(e);
        } finally {
            starting.shutdown();
        }
    }

    private void start(Server server) throws Exception {
        String name = server.name();
        long begin = System.nanoTime();
        Path work = work(name);
        AsadminDomain domain = AsadminDomain.unpack(name, Path.of(System.getProperty("wrenmq." + name + ".zip")),
                work, Path.of(System.getProperty("wrenmq." + name + ".java", System.getProperty("java.home"))));
        synchronized (started) {
            started.add(domain);
        }
        DocPage page = DocPage.read(server.page());
        Path user = userDirectory(work);
        int mqttPort = Ports.free();
        domain.sh(page.codeBlock(server.startHeading(), "sh"), user);
        domain.sh(asPrintedHere(page, server.adapterHeading(), Map.of(BROKER_AS_PRINTED,
                "port=" + mqttPort + ":bindAddress=127.0.0.1:persistence=false:")), user);
        // the page's "when it worked": the adapter's own line in server.log (the RAR brings its SLF4J provider)
        await(name + "'s server.log has the adapter's WRENMQ-JCA-002 line").atMost(Duration.ofSeconds(30))
                .until(() -> domain.serverLog().contains("WRENMQ-JCA-002"));
        System.setProperty("wrenmq." + name + ".java.home", domain.javaHome().toString());
        System.setProperty("wrenmq." + name + ".adminPort", Integer.toString(domain.adminPort()));
        System.setProperty("wrenmq." + name + ".mqttPort", Integer.toString(mqttPort));
        System.setProperty("wrenmq." + name + ".httpPort", Integer.toString(domain.httpPort()));
        System.out.printf("WRENMQ-IT %s: domain started and the adapter deployed as %s prints, in %d s (%s)%n",
                name, server.page(), (System.nanoTime() - begin) / 1_000_000_000, domain);
    }

    /** Where the run unpacks and drives this server. */
    public static Path work(String name) {
        return Path.of(System.getProperty("wrenmq.asadmin.work")).resolve(name);
    }

    /** The domain this run started under that name, for a test's own commands; empty when it was not started. */
    public static Optional<AsadminDomain> started(String name) {
        String adminPort = System.getProperty("wrenmq." + name + ".adminPort");
        return adminPort == null ? Optional.empty() : Optional.of(AsadminDomain.attach(name,
                work(name), Path.of(System.getProperty("wrenmq." + name + ".java.home")),
                Integer.parseInt(adminPort)));
    }

    /** The page's commands with these replacements, each of which must find its text (or the page changed). */
    public static String asPrintedHere(DocPage page, String heading, Map<String, String> replacements) {
        String commands = page.codeBlock(heading, "sh");
        String result = commands;
        for (Map.Entry<String, String> replacement : replacements.entrySet()) {
            if (!result.contains(replacement.getKey())) {
                throw new IllegalStateException(page.file() + ": no '" + replacement.getKey() + "' under "
                        + heading + ":\n" + commands);
            }
            result = result.replace(replacement.getKey(), replacement.getValue());
        }
        return result;
    }

    /**
     * The page's commands with the adapter's names ({@code wrenmq}, {@code wrenmq-pool},
     * {@code wrenmq/ConnectionFactory}) replaced by {@code name}, {@code name-pool} and {@code name/ConnectionFactory}:
     * for a second adapter beside the contract's in the same domain.
     */
    public static String besideTheContractsAdapter(String commands, String name) {
        String renamed = commands;
        for (Map.Entry<String, String> names : Map.of("wrenmq-pool", name + "-pool", "wrenmq/ConnectionFactory",
                name + "/ConnectionFactory", " wrenmq\n", " " + name + "\n", " wrenmq ", " " + name + " ")
                .entrySet()) {
            renamed = renamed.replace(names.getKey(), names.getValue());
        }
        return renamed;
    }

    /** A user's directory holding the RAR under the name the build gives it, which the page's commands use. */
    public static Path userDirectory(Path work) throws java.io.IOException {
        Path user = Files.createDirectories(work.resolve("user-" + System.nanoTime()));
        Files.copy(Path.of(System.getProperty("wrenmq.rar")),
                user.resolve("jca-adapter-" + System.getProperty("wrenmq.version") + ".rar"));
        return user;
    }

    @Override
    public void launcherSessionClosed(LauncherSession session) {
        synchronized (started) {
            for (AsadminDomain domain : started) {
                try {
                    domain.close();
                } catch (Exception e) {
                    System.err.println("WRENMQ-IT could not stop " + domain + ": " + e);
                }
            }
            started.clear();
        }
    }
}
