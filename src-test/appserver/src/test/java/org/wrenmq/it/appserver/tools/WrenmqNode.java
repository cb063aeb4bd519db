package org.wrenmq.it.appserver.tools;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.wrenmq.it.support.ClientProcess;

/**
 * A {@code ./wrenmq} broker process started from a config file, as an operator runs it: this checkout's launcher on
 * broker-bundle's jar and {@code lib/} (the pom names both). Closing it stops the process.
 */
public final class WrenmqNode implements AutoCloseable {

    private static final Duration START = Duration.ofSeconds(60);

    private final ClientProcess process;

    private WrenmqNode(ClientProcess process) {
        this.process = process;
    }

    /** Writes {@code configLines} to {@code wrenmq.conf} in {@code dir}, starts {@code ./wrenmq -c} on it. */
    public static WrenmqNode start(Path dir, String... configLines) throws IOException {
        Files.createDirectories(dir);
        Path conf = Files.writeString(dir.resolve("wrenmq.conf"), String.join("\n", configLines) + "\n");
        ClientProcess process = ClientProcess.start(dir, List.of(required("wrenmq.launcher"), "-c", conf.toString()),
                Map.of("WRENMQ_JARS", required("wrenmq.broker.target"), "WRENMQ_JAVA_OPTS", "-Xmx128m"));
        WrenmqNode node = new WrenmqNode(process);
        node.awaitOutput("WrenMQ listening on", START);
        return node;
    }

    /** Waits until the broker printed {@code text}; fails with its output if it ends or does not print it. */
    public void awaitOutput(String text, Duration patience) {
        await("./wrenmq prints '" + text + "'").atMost(patience).pollInterval(Duration.ofMillis(200)).until(() -> {
            assertThat(process.isAlive()).as("./wrenmq running; output:%n%s", process.output()).isTrue();
            return process.output().contains(text);
        });
    }

    public String output() {
        return process.output();
    }

    @Override
    public void close() {
        process.close();
    }

    private static String required(String property) {
        String value = System.getProperty(property);
        assertThat(value).as("system property %s (set by the pom)", property).isNotNull();
        assertThat(Path.of(value)).as("%s (the launcher, or built by broker-bundle's package phase)", property)
                .exists();
        return value;
    }
}
