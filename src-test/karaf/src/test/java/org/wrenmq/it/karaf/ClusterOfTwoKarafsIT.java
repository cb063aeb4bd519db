package org.wrenmq.it.karaf;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.wrenmq.it.support.Ports;

/**
 * Two real Apache Karafs, each with {@code feature:install wrenmq-cluster} (at boot) and the cluster keys in its
 * {@code etc/org.wrenmq.broker.cfg}, form one WrenMQ cluster on loopback: mosquitto_pub on one Karaf's MQTT port
 * reaches mosquitto_sub on the other's. Both boot at once, so the module's run grows by one Karaf boot, not two.
 */
class ClusterOfTwoKarafsIT {
    private static final Duration BOOT_TIMEOUT = Duration.ofMinutes(3);
    private static final Duration DELIVERY_TIMEOUT = Duration.ofSeconds(60);
    private static final Duration RETRY_INTERVAL = Duration.ofMillis(500);

    private static final KarafInstance[] KARAFS = new KarafInstance[2];
    private static final int[] MQTT_PORTS = new int[2];
    private static Path work;

    @BeforeAll
    static void bootTwoKarafsWithFeatureWrenmqCluster() throws Exception {
        work = Path.of(System.getProperty("wrenmq.karaf.work", "target/karaf-run") + "-cluster");
        Path repository = Path.of(System.getProperty("maven.local.repository"));
        String version = System.getProperty("wrenmq.version");
        int[] ports = Ports.free(10);
        int[] clusterPorts = {ports[8], ports[9]};
        String members = "127.0.0.1:" + clusterPorts[0] + ",127.0.0.1:" + clusterPorts[1];
        for (int i = 0; i < 2; i++) {
            MQTT_PORTS[i] = ports[4 * i + 3];
            KarafInstance karaf = KarafInstance.unpack(Path.of(System.getProperty("wrenmq.karaf.tarball")),
                    work.resolve("node" + (i + 1)), ports[4 * i]);
            KARAFS[i] = karaf;
            karaf.prepare(repository, ports[4 * i + 1], ports[4 * i + 2]);
            karaf.bootFeature("mvn:org.wrenmq/features/" + version + "/xml/features", "wrenmq-cluster");
            karaf.writeBrokerConfig(repository, version, MQTT_PORTS[i]);
            karaf.appendBrokerConfig(
                    "cluster_name = karaf-it",
                    "cluster_listener = " + clusterPorts[i] + " 127.0.0.1",
                    "cluster_members = " + members);
        }

        Instant start = Instant.now();
        for (int i = 0; i < 2; i++) {
            KARAFS[i].start(work.resolve("node" + (i + 1) + "-console.log"));
        }
        for (int i = 0; i < 2; i++) {
            int port = MQTT_PORTS[i];
            KarafInstance karaf = KARAFS[i];
            await("Karaf " + (i + 1) + "'s MQTT port").atMost(BOOT_TIMEOUT).pollInterval(RETRY_INTERVAL)
                    .until(() -> Ports.listening(port) || !karaf.isRunning());
            assertThat(karaf.isRunning()).as("Karaf %d is running; see %s", i + 1, work).isTrue();
        }
        System.out.printf("Two Karafs booted with feature wrenmq-cluster, both MQTT ports open after %d ms%n",
                Duration.between(start, Instant.now()).toMillis());
    }

    @AfterAll
    static void stopKarafs() throws Exception {
        for (KarafInstance karaf : KARAFS) {
            if (karaf != null) {
                karaf.close();
            }
        }
    }

    @Test
    void mosquittoPubOnOneKarafReachesMosquittoSubOnTheOther() throws Exception {
        Instant start = Instant.now();
        try (Mosquitto.Subscriber sub = Mosquitto.subscribeOne(MQTT_PORTS[1], "plant/+/temperature",
                work.resolve("sub-node2.txt"))) {
            // the subscription reaches node 1 once the two have joined and the directory entry travelled
            Instant deadline = Instant.now().plus(DELIVERY_TIMEOUT);
            while (!sub.finished() && Instant.now().isBefore(deadline)) {
                Mosquitto.publish(MQTT_PORTS[0], "plant/line-1/temperature", "21.5", "-q", "1");
                sub.process().waitFor(RETRY_INTERVAL.toMillis(), TimeUnit.MILLISECONDS);
            }
            assertThat(sub.finished()).as("mosquitto_sub on Karaf 2 received within %s; see %s", DELIVERY_TIMEOUT,
                    work).isTrue();
            assertThat(sub.printed()).isEqualTo("plant/line-1/temperature 21.5");
        }
        System.out.printf("First message across the two Karafs after %d ms%n",
                Duration.between(start, Instant.now()).toMillis());
        assertThat(karafLog(0)).contains("2 member(s) now");
    }

    private static String karafLog(int i) throws IOException {
        return Files.readString(KARAFS[i].home().resolve("data/log/karaf.log"));
    }
}
