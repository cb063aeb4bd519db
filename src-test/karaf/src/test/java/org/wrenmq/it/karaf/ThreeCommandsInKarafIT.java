package org.wrenmq.it.karaf;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.wrenmq.it.support.DocPage;
import org.wrenmq.it.support.Ports;

/**
 * docs/karaf.md's "Install in three commands" typed as printed into a fresh Apache Karaf: the commands are read
 * from the page (its {@code karaf@root()>} lines) and sent through {@code bin/client}, one session each as a user
 * types them one after the other, then mosquitto's clients and the page's {@code wrenmq:publish} line talk through
 * the broker. What differs from the page: Karaf binds loopback on free ports and reads only the local Maven
 * repository, and {@code etc/org.wrenmq.broker.cfg} (the installed file with a free port instead of 1883) is
 * there before {@code feature:install}, which the page says leaves it alone.
 */
class ThreeCommandsInKarafIT {
    private static final String PAGE = "karaf.md";
    private static final String SECTION = "## Install in three commands";
    private static final String PROMPT = "karaf@root()> ";
    private static final Duration BOOT_TIMEOUT = Duration.ofMinutes(3);
    private static final Duration BROKER_UP = Duration.ofSeconds(60);
    private static final Duration DELIVERY_TIMEOUT = Duration.ofSeconds(45);

    private KarafInstance karaf;

    @Test
    void theThreeCommandsInstallABrokerThatClientsTalkThrough() throws Exception {
        List<String> typed = promptLines();
        assertThat(typed).as("the commands of " + SECTION).hasSize(4);
        Path work = Path.of(System.getProperty("wrenmq.karaf.work", "target/karaf-run"))
                .resolveSibling("karaf-three-commands");
        int sshPort = Ports.free();
        int mqttPort = Ports.free();
        Path localRepository = Path.of(System.getProperty("maven.local.repository"));
        karaf = KarafInstance.unpack(Path.of(System.getProperty("wrenmq.karaf.tarball")), work, sshPort);
        karaf.prepare(localRepository, Ports.free(), Ports.free());
        karaf.writeBrokerConfig(localRepository, System.getProperty("wrenmq.version"), mqttPort);
        String configBefore = Files.readString(karaf.etc("org.wrenmq.broker.cfg"));
        karaf.start(work.resolve("karaf-console.log"));
        await("Karaf's SSH console").atMost(BOOT_TIMEOUT).until(() -> Ports.listening(sshPort) || !karaf.isRunning());
        assertThat(karaf.isRunning()).as("Karaf is running; see " + work).isTrue();

        assertSucceeded(karaf.shell(typed.get(0)));
        assertSucceeded(karaf.shell(typed.get(1)));
        // the page: a command may come before the feature's commands are registered; then send it again
        await(typed.get(2)).atMost(BROKER_UP).until(() -> karaf.shell(typed.get(2)), out -> out.contains("Counter"));

        assertThat(Ports.listening(mqttPort)).as("the broker on the configured port").isTrue();
        assertThat(Files.readString(karaf.etc("org.wrenmq.broker.cfg"))).as("the configuration made before")
                .isEqualTo(configBefore);
        try (Mosquitto.Subscriber sub = Mosquitto.subscribeOne(mqttPort, "demo/#", work.resolve("sub.txt"))) {
            await().atMost(DELIVERY_TIMEOUT).until(() -> karaf.shell("wrenmq:subscriptions").contains("demo/#"));
            assertSucceeded(karaf.shell(typed.get(3)));
            await().atMost(DELIVERY_TIMEOUT).until(sub::finished);
            assertThat(sub.printed()).isEqualTo("demo/hello from the Karaf shell");
        }
    }

    @AfterEach
    void stopKaraf() throws Exception {
        if (karaf != null) {
            karaf.close();
        }
    }

    private static void assertSucceeded(String printed) {
        System.out.println(printed);
        assertThat(printed).doesNotContainIgnoringCase("error").doesNotContain("Command not found");
    }

    /** The lines of the page's section typed at the Karaf prompt, in the page's order, without the prompt. */
    private static List<String> promptLines() {
        return DocPage.read(PAGE).codeBlocks(SECTION).stream().flatMap(block -> block.text().lines())
                .filter(l -> l.startsWith(PROMPT)).map(l -> l.substring(PROMPT.length())).toList();
    }
}
