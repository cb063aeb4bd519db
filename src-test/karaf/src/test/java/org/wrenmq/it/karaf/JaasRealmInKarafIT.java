package org.wrenmq.it.karaf;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.wrenmq.it.support.Ports;

/**
 * {@code jaas_realm = karaf} in a real Apache Karaf: mosquitto's clients log in as users of Karaf's
 * {@code etc/users.properties}, and the acl_file's {@code role} blocks give the topic rights of Karaf's roles and
 * groups: a sensor whose group holds role {@code telemetry} may publish {@code plant/#}, a dashboard user with
 * role {@code viewer} reads it, a wrong password is refused with CONNACK 5 as in mosquitto.
 */
class JaasRealmInKarafIT {
    private static final Duration BOOT_TIMEOUT = Duration.ofMinutes(3);
    private static final Duration DELIVERY_TIMEOUT = Duration.ofSeconds(45);
    private static final Duration RETRY_INTERVAL = Duration.ofMillis(500);
    private static final String USERS = """

            # MQTT users of the test: a sensor in group devices (role telemetry), a dashboard with role viewer
            sensor = s3cret,_g_:devices
            _g_\\:devices = group,telemetry
            dashboard = d4sh,viewer
            """;
    private static final String ACL = """
            role telemetry
            topic write plant/#
            role viewer
            topic read plant/#
            """;

    private KarafInstance karaf;

    @Test
    void karafUsersLogInAndTheirRolesGiveTopicRights() throws Exception {
        Path work = Path.of(System.getProperty("wrenmq.karaf.work", "target/karaf-run")).resolveSibling("karaf-jaas");
        Path localRepository = Path.of(System.getProperty("maven.local.repository"));
        String version = System.getProperty("wrenmq.version");
        karaf = KarafInstance.unpack(Path.of(System.getProperty("wrenmq.karaf.tarball")), work, Ports.free());
        karaf.prepare(localRepository, Ports.free(), Ports.free());
        karaf.bootFeature("mvn:org.wrenmq/features/" + version + "/xml/features", "wrenmq");
        Files.writeString(karaf.etc("users.properties"), USERS, java.nio.file.StandardOpenOption.APPEND);
        Path acl = Files.writeString(karaf.etc("wrenmq.acl"), ACL);
        int port = Ports.free();
        karaf.writeBrokerConfig(localRepository, version, port);
        Path config = karaf.etc("org.wrenmq.broker.cfg");
        Files.writeString(config, Files.readString(config).replace("allow_anonymous = true", "allow_anonymous = false")
                + "\njaas_realm = karaf\nacl_file = " + acl + "\n");

        karaf.start(work.resolve("karaf-console.log"));
        await().atMost(BOOT_TIMEOUT).pollInterval(RETRY_INTERVAL).until(() -> Ports.listening(port) || !karaf.isRunning());
        assertThat(karaf.isRunning()).as("Karaf is running; see " + work).isTrue();

        try (Mosquitto.Subscriber sub = Mosquitto.subscribeOne(port, "plant/#", work.resolve("sub.txt"),
                "-u", "dashboard", "-P", "d4sh")) {
            Instant deadline = Instant.now().plus(DELIVERY_TIMEOUT);
            while (!sub.finished() && Instant.now().isBefore(deadline)) { // until the subscription is in place
                Mosquitto.publish(port, "plant/temperature", "21.5", "-q", "1", "-u", "sensor", "-P", "s3cret");
                sub.process().waitFor(RETRY_INTERVAL.toMillis(), TimeUnit.MILLISECONDS);
            }
            assertThat(sub.printed()).isEqualTo("plant/temperature 21.5");
        }
        Mosquitto.Result wrong = Mosquitto.run(port, "plant/temperature", "99", "-u", "sensor", "-P", "guess");
        assertThat(wrong.exitStatus()).as("CONNACK 5 not authorized: %s", wrong.printed()).isEqualTo(5);
        Mosquitto.Result anonymous = Mosquitto.run(port, "plant/temperature", "99");
        assertThat(anonymous.exitStatus()).as("anonymous: %s", anonymous.printed()).isEqualTo(5);
    }

    @AfterEach
    void stopKaraf() throws Exception {
        if (karaf != null) {
            karaf.close();
        }
    }
}
