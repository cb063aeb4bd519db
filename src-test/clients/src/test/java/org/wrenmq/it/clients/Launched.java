package org.wrenmq.it.clients;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.wrenmq.it.support.ClientProcess;
import org.wrenmq.it.support.Mosquitto;
import org.wrenmq.it.support.Ports;

/**
 * The processes one test starts in its folder (mosquitto's clients, mosquitto, {@code ./wrenmq}: the programs themselves are run by
 * it-support's {@link ClientProcess} and {@link Mosquitto}), closed together
 * by {@link #closeAll()} after the test (as a JUnit extension, {@code @RegisterExtension final Launched launched}); and the two things starting them needs: a free port, a path the pom set.
 */
final class Launched implements AfterEachCallback {
    private final List<Runnable> closers = new ArrayList<>();

    ClientProcess track(ClientProcess process) {
        closers.add(process::close);
        return process;
    }

    ClientProcess run(Path dir, String... command) {
        return track(ClientProcess.start(dir, List.of(command)));
    }

    /** {@code ./wrenmq ARGS} on broker-bundle's jar and lib/, as an operator runs it (its JVM options included). */
    ClientProcess wrenmq(Path dir, String... args) {
        return wrenmqWith("-Xmx128m", dir, args);
    }

    /** {@code ./wrenmq ARGS} as above, with {@code WRENMQ_JAVA_OPTS} set to {@code javaOpts}. */
    ClientProcess wrenmqWith(String javaOpts, Path dir, String... args) {
        List<String> command = new ArrayList<>(List.of(requiredPath("wrenmq.launcher")));
        command.addAll(List.of(args));
        return track(ClientProcess.start(dir, command,
                Map.of("WRENMQ_JARS", requiredPath("wrenmq.broker.target"), "WRENMQ_JAVA_OPTS", javaOpts)));
    }

    /** Waits until a {@code ./wrenmq} it started says it listens; fails with its output if it ends instead. */
    static ClientProcess awaitListening(ClientProcess broker) {
        await().atMost(ClientProcess.PATIENCE).pollInterval(Duration.ofMillis(200)).until(() -> {
            assertThat(broker.isAlive()).as("broker running; output:%n%s", broker.output()).isTrue();
            return broker.output().contains("WrenMQ listening on");
        });
        return broker;
    }

    /**
     * A page's shell lines as a user runs them: with bash, stopping at the first command that fails, in the test's
     * folder; {@code ./wrenmq} is this checkout's launcher (its JVM options as printed).
     */
    ClientProcess shell(Path dir, String script) {
        String launcher = requiredPath("wrenmq.launcher");
        return track(ClientProcess.start(dir, List.of("bash", "-e", "-c", script.replace("./wrenmq", launcher)),
                Map.of("WRENMQ_JARS", requiredPath("wrenmq.broker.target"))));
    }

    /** A mosquitto broker on a free port with these configuration lines, stopped with the others. */
    Mosquitto mosquitto(Path dir, String... configLines) {
        Mosquitto mosquitto = Mosquitto.start(dir, configLines);
        closers.add(mosquitto::close);
        return mosquitto;
    }

    /** A mosquitto broker on this port (chosen before it runs), stopped with the others. */
    Mosquitto mosquitto(Path dir, int port, String... configLines) {
        Mosquitto mosquitto = Mosquitto.start(dir, port, configLines);
        closers.add(mosquitto::close);
        return mosquitto;
    }

    void closeAll() {
        closers.forEach(Runnable::run);
        closers.clear();
    }

    /** Registered with {@code @RegisterExtension}, closes what the test started once it ended. */
    @Override
    public void afterEach(ExtensionContext context) {
        closeAll();
    }

    static String requiredPath(String property) {
        String value = System.getProperty(property);
        assertThat(value).as("system property %s (set by the pom)", property).isNotNull();
        assertThat(Path.of(value)).as("%s (the launcher, or built by broker-bundle's package phase)", property)
                .exists();
        return value;
    }

    /**
     * {@code n} different ports free a moment ago (held open together, so none is handed out twice), where a broker
     * killed by a test binds its port again when restarted ({@link Ports#freeForRestarts}).
     */
    static int[] freePorts(int n) {
        return Ports.freeForRestarts(n);
    }

    /** A port free a moment ago, on loopback. */
    static int freePort() {
        return freePorts(1)[0];
    }
}
