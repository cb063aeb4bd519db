package org.wrenmq.it.clients;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.List;

import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.wrenmq.it.support.ClientProcess;

/**
 * {@code kill -HUP} on the standalone broker ({@code ./wrenmq -c FILE}) re-reads password_file and acl_file, as
 * mosquitto does: a connected mosquitto_sub keeps receiving, a user and a rule added to the files work at once, and
 * a broken acl_file leaves the rules as they were with one ERROR line naming file and line.
 */
@DisplayName("kill -HUP reloads password_file and acl_file (./wrenmq)")
class ReloadOnHangupIT {
    private static final Duration PATIENCE = ClientProcess.PATIENCE;

    @TempDir
    Path dir;

    @RegisterExtension
    final Launched launched = new Launched();
    private int port;


    @Test
    @DisplayName("a new user and rule work after SIGHUP while a subscriber keeps receiving; a bad file is refused")
    void hangupAddsUserAndRule() throws Exception {
        Path passwd = dir.resolve("passwd");
        run("mosquitto_passwd", "-c", "-b", passwd.toString(), "watcher", "w").awaitSuccess();
        Path acl = writeAtomically(dir.resolve("acl"), "user watcher\ntopic readwrite feed/#\n");
        port = Launched.freePort();
        Path config = Files.writeString(dir.resolve("broker.conf"), "listener " + port + " 127.0.0.1\n"
                + "allow_anonymous false\npassword_file " + passwd + "\nacl_file " + acl + "\npersistence false\n");
        ClientProcess broker = startBroker(config);
        await().atMost(PATIENCE).pollInterval(Duration.ofMillis(300)).until(() -> {
            assertThat(broker.isAlive()).as("broker running; output:%n%s", broker.output()).isTrue();
            return pub("watcher", "w", "feed/up", "up").awaitExit() == 0;
        });
        ClientProcess subscriber = launched.track(ClientProcess.start(dir, List.of("stdbuf", "-oL", "mosquitto_sub",
                "-h", "127.0.0.1", "-p", Integer.toString(port), "-u", "watcher", "-P", "w", "-d", "-v",
                "-t", "feed/#", "-W", Long.toString(PATIENCE.toSeconds() * 3))));
        await().atMost(PATIENCE).until(() -> subscriber.output().contains("Subscribed (mid: 1): 0"));
        assertThat(pub("newcomer", "n", "feed/new", "too early").awaitExit()).as("unknown before reload").isNotZero();

        run("mosquitto_passwd", "-b", passwd.toString(), "newcomer", "n").awaitSuccess();
        writeAtomically(acl, "user watcher\ntopic readwrite feed/#\nuser newcomer\ntopic write feed/new\n");
        hangup(broker);

        await().atMost(PATIENCE).pollInterval(Duration.ofMillis(200)).until(() -> {
            pub("newcomer", "n", "feed/new", "after-reload").awaitExit();
            return subscriber.output().contains("feed/new after-reload");
        });

        writeAtomically(acl, "user watcher\ntopic readwrite feed/#\ntopic sometimes feed/x\n");
        hangup(broker);
        await().atMost(PATIENCE).until(() -> broker.output().contains(acl + ":3: access must be"));
        pub("newcomer", "n", "feed/new", "old-rules-stand").awaitSuccess();
        await().atMost(PATIENCE).until(() -> subscriber.output().contains("feed/new old-rules-stand"));
        assertThat(subscriber.isAlive()).as("subscriber still connected").isTrue();
        assertThat(broker.output()).containsOnlyOnce("ERROR");
    }

    private void hangup(ClientProcess broker) throws InterruptedException {
        run("kill", "-HUP", Long.toString(broker.pid())).awaitSuccess();
    }

    private ClientProcess pub(String user, String password, String topic, String payload) {
        return run("mosquitto_pub", "-h", "127.0.0.1", "-p", Integer.toString(port), "-u", user, "-P", password,
                "-q", "1", "-t", topic, "-m", payload);
    }

    private ClientProcess startBroker(Path config) {
        return launched.wrenmq(dir, "-c", config.toString());
    }

    /** Written beside and moved over, so the broker never reads half a file. */
    private static Path writeAtomically(Path file, String text) throws IOException {
        Path tmp = Files.writeString(file.resolveSibling(file.getFileName() + ".new"), text);
        return Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    }

    private ClientProcess run(String... command) {
        return launched.run(dir, command);
    }

}
