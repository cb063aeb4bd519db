package org.wrenmq.it.clients;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.wrenmq.it.support.ClientProcess;
import org.wrenmq.it.support.DocPage;

/**
 * docs/security.md as printed: its wrenmq.conf and its acl_file, unchanged, with a password file made by
 * mosquitto_passwd as the page says, run by {@code ./wrenmq}; mosquitto_pub and mosquitto_sub get what the page's
 * tables promise. What differs from the page: the listener is a free port of 127.0.0.1, the files under
 * {@code /etc/wrenmq/} are in the test's folder. The page's two acl_file errors come from the acl_file with one
 * line changed.
 */
@DisplayName("docs/security.md as printed")
class SecurityPageIT {
    private static final DocPage PAGE = DocPage.read("security.md");
    private static final String TOP = "# Security";
    private static final String PASSWORDS = "## Password file";
    private static final String ACL = "## acl_file";
    private static final Duration PATIENCE = ClientProcess.PATIENCE;

    @TempDir
    Path dir;

    @RegisterExtension
    final Launched launched = new Launched();
    private final int port = Launched.freePort();

    @BeforeEach
    void passwordsAndRules() {
        launched.run(dir, "mosquitto_passwd", "-c", "-b", "passwd", "alice", "alice-pw").awaitSuccess();
        launched.run(dir, "mosquitto_passwd", "-b", "passwd", "bob", "bob-pw").awaitSuccess();
        write("acl", PAGE.codeBlockWith(ACL, "user alice"));
        write("wrenmq.conf", PAGE.codeBlockWith(TOP, "password_file ").replace("/etc/wrenmq/", dir + "/")
                .replace("listener 1883\n", "listener " + port + " 127.0.0.1\n"));
    }


    @Test
    @DisplayName("logins as the password table says: anonymous and wrong password not authorized, with the page's log line")
    void loginsAsTheTableSays() {
        ClientProcess broker = startBroker();
        assertThat(publish(null, null, "public/x").awaitExitOutput()).as("no user name, allow_anonymous false")
                .contains("not authorised");
        ClientProcess guess = launched.run(dir, "mosquitto_pub", "-h", "127.0.0.1", "-p", String.valueOf(port), "-i",
                "guess7", "-u", "alice", "-P", "wrong", "-t", "alice/x", "-m", "hello");
        assertThat(guess.awaitExitOutput()).as("a wrong password").contains("not authorised");
        assertThat(publish("alice", "alice-pw", "alice/x").awaitExit()).as("the right password").isZero();

        String printed = PAGE.codeBlockWith(PASSWORDS, "WARN ").strip();
        String message = printed.substring(printed.indexOf(" - ") + 3); // the logger's name is short in ./wrenmq
        Pattern logged = Pattern.compile(".* - " + Pattern.quote(message)
                .replaceFirst("/10\\.0\\.0\\.9:\\d+", "\\\\E/127\\\\.0\\\\.0\\\\.1:\\\\d+\\\\Q"));
        await().atMost(PATIENCE).untilAsserted(() -> assertThat(broker.output().lines())
                .anyMatch(l -> logged.matcher(l).matches()));
    }

    @Test
    @DisplayName("alice reads alice/# but not alice/secret, and may not subscribe to what only bob writes")
    void topicRightsAsTheAclFileSays() {
        startBroker();
        ClientProcess alice = launched.run(dir, "stdbuf", "-oL", "mosquitto_sub", "-h", "127.0.0.1", "-p",
                String.valueOf(port), "-u", "alice", "-P", "alice-pw", "-i", "alice-sub", "-v", "-t", "alice/#");
        await("alice subscribed").atMost(PATIENCE).pollInterval(Duration.ofMillis(300)).until(() -> {
            publish("alice", "alice-pw", "alice/ready").awaitExit();
            return alice.lines().contains("alice/ready hello");
        });

        publish("alice", "alice-pw", "alice/secret").awaitExit();
        publish("bob", "bob-pw", "alice/from-bob").awaitExit();
        publish("alice", "alice-pw", "alice/last").awaitExit();

        await().atMost(PATIENCE).until(() -> alice.lines().contains("alice/last hello"));
        assertThat(alice.lines()).as("denied: alice/secret (deny), bob's write to alice/ (no right)")
                .containsOnly("alice/ready hello", "alice/last hello");
        String refused = launched.run(dir, "mosquitto_sub", "-h", "127.0.0.1", "-p", String.valueOf(port), "-u",
                "alice", "-P", "alice-pw", "-t", "public/#", "-C", "1", "-W", "5").awaitExitOutput();
        assertThat(refused).as("SUBSCRIBE to what alice may not read").containsIgnoringCase("denied");
    }

    @Test
    @DisplayName("the two acl_file errors of the page stop the start with FILE:LINE and exit status 1")
    void aclErrorsAsPrinted() {
        String wrongAccess = PAGE.inlineCode(ACL, "acl:7: ");
        List<String> rules = new ArrayList<>(PAGE.codeBlockWith(ACL, "user alice").lines().toList());
        rules.set(6, "topic sometimes alice/#");
        write("acl", String.join("\n", rules) + "\n");
        assertThat(refusedStart()).contains(wrongAccess);

        String wrongFilter = PAGE.inlineCode(ACL, "acl:3: ");
        rules = new ArrayList<>(PAGE.codeBlockWith(ACL, "user alice").lines().toList());
        rules.set(2, "topic read a/#/b");
        write("acl", String.join("\n", rules) + "\n");
        assertThat(refusedStart()).contains(wrongFilter);
    }

    private ClientProcess startBroker() {
        ClientProcess broker = launched.wrenmq(dir, "-c", dir.resolve("wrenmq.conf").toString());
        Launched.awaitListening(broker);
        return broker;
    }

    private String refusedStart() {
        ClientProcess broker = launched.wrenmq(dir, "-c", dir.resolve("wrenmq.conf").toString());
        assertThat(broker.awaitExit()).as("exit status; output:%n%s", broker.output()).isEqualTo(1);
        return broker.output();
    }

    /** mosquitto_pub of "hello" at QoS 1, as {@code user} (none when null). */
    private ClientProcess publish(String user, String password, String topic) {
        List<String> command = new ArrayList<>(List.of("mosquitto_pub", "-h", "127.0.0.1", "-p",
                String.valueOf(port), "-q", "1", "-t", topic, "-m", "hello"));
        if (user != null) {
            command.addAll(List.of("-u", user, "-P", password));
        }
        return launched.run(dir, command.toArray(String[]::new));
    }

    private void write(String name, String text) {
        try {
            Files.writeString(dir.resolve(name), text);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
