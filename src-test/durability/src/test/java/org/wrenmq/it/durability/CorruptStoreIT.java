package org.wrenmq.it.durability;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.stream.Stream;
import org.eclipse.paho.client.mqttv3.MqttClient;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * A damaged {@code wrenmq.db}: by default the broker moves it aside as {@code wrenmq.db.corrupt-TIMESTAMP}, says so
 * in one loud log line, starts empty and serves clients; with {@code persistence_on_corruption fail} it exits
 * non-zero naming the file, and leaves the file where it is for the operator.
 */
@DisplayName("corrupt store file")
class CorruptStoreIT extends BrokerProcessTest {
    private static final String LOUD_LINE = "STORE CORRUPT";

    @ParameterizedTest
    @EnumSource(StoreDamage.class)
    @DisplayName("default: moved aside, one loud log line, the broker starts empty and serves clients")
    void movedAsideByDefault(StoreDamage damage) throws Exception {
        broker = new BrokerProcess(dir);
        Path store = damagedStore(damage);

        broker.start();

        assertThat(storeFiles()).as("files in %s", broker.storeDir())
                .anyMatch(name -> name.matches("wrenmq\\.db\\.corrupt-\\d{8}-\\d{6}"));
        String output = broker.output();
        assertThat(output.lines().filter(l -> l.contains(LOUD_LINE))).as("log lines with %s in:%n%s", LOUD_LINE,
                output).hasSize(1).allMatch(l -> l.contains(store.toString()));
        Inbox inbox = new Inbox();
        client = PahoClients.connect(broker.uri(), "after-corruption", true, inbox);
        client.subscribe("corrupt/#", 1);
        client.publish("corrupt/served", "served".getBytes(), 1, false);
        await().atMost(Duration.ofSeconds(10)).until(() -> inbox.count("served") == 1);
        assertThat(inbox.count("old")).as("retained message from the damaged store").isZero();
    }

    @ParameterizedTest
    @EnumSource(StoreDamage.class)
    @DisplayName("persistence_on_corruption fail: exits non-zero with a message naming the file")
    void refusesToStartWhenAskedTo(StoreDamage damage) throws Exception {
        broker = new BrokerProcess(dir, "persistence_on_corruption fail");
        Path store = damagedStore(damage);
        byte[] damaged = Files.readAllBytes(store);

        int status = broker.launch().awaitExit();

        assertThat(status).as("exit status; output:%n%s", broker.output()).isNotZero();
        assertThat(broker.output()).contains(store.toString());
        assertThat(Files.readAllBytes(store)).as("the damaged file, left untouched").isEqualTo(damaged);
        assertThat(storeFiles()).as("files in %s", broker.storeDir()).noneMatch(n -> n.contains("corrupt"));
    }

    /** A real store with a retained message and a persistent session in it, then damaged. */
    private Path damagedStore(StoreDamage damage) throws Exception {
        broker.start();
        MqttClient writer = PahoClients.connect(broker.uri(), "writer", false, null);
        try {
            writer.subscribe("corrupt/queued", 1);
            writer.publish("corrupt/retained", "old".getBytes(), 1, true);
        } finally {
            PahoClients.closeQuietly(writer);
        }
        broker.stop();
        Path store = broker.storeFile();
        damage.apply(store);
        return store;
    }

    private List<String> storeFiles() throws IOException {
        try (Stream<Path> files = Files.list(broker.storeDir())) {
            return files.map(p -> p.getFileName().toString()).toList();
        }
    }
}
