package org.wrenmq.broker.fuzz;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.junit.FuzzTest;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.TestInstance;
import org.wrenmq.broker.BrokerConfig;
import org.wrenmq.broker.ConfigException;
import org.wrenmq.broker.auth.Authorizer;
import org.wrenmq.broker.auth.ClientAccess;
import org.wrenmq.broker.auth.PasswordFile;
import org.wrenmq.broker.metrics.BrokerMetrics;
import org.wrenmq.broker.routing.Topics;

/**
 * Any bytes as a config file, a password file and an acl_file: each is read, or refused with a
 * {@link ConfigException} whose message names the file (and for a bad line, the line), never with any other
 * exception. An acl_file that reads is also asked about topics, for clients whose ids and names are unusual, and
 * must answer consistently: whoever may read a topic may subscribe to it.
 * Seeds: {@code src/test/resources/org/wrenmq/broker/fuzz/ConfigFileFuzzTestsInputs/}.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ConfigFileFuzzTests {
    private Path dir;

    @BeforeAll
    void createFolder() throws IOException {
        dir = Files.createTempDirectory("wrenmq-fuzz-config");
    }

    @AfterAll
    void deleteFolder() throws IOException {
        try (var files = Files.list(dir)) {
            for (Path p : (Iterable<Path>) files::iterator) {
                Files.delete(p);
            }
        }
        Files.delete(dir);
    }

    @FuzzTest(maxDuration = "15s")
    void anyConfigFile(byte[] content) throws IOException {
        Path file = Files.write(dir.resolve("wrenmq.conf"), content);
        try {
            BrokerConfig config = BrokerConfig.parse(file);
            assertThat(config.listeners()).isNotEmpty();
        } catch (ConfigException e) {
            assertThat(e.getMessage()).startsWith(file.toString() + ":");
        }
    }

    @FuzzTest(maxDuration = "15s")
    void anyPasswordFile(byte[] content) throws IOException {
        Path file = Files.write(dir.resolve("passwd"), content);
        try {
            PasswordFile passwords = PasswordFile.read(file);
            passwords.verify("user", "password".getBytes(java.nio.charset.StandardCharsets.UTF_8));
        } catch (ConfigException e) {
            assertThat(e.getMessage()).startsWith(file.toString() + ":");
        }
    }

    /** Clients the rules are asked about: anonymous, plain, with wildcards or % in id or name, holding roles. */
    private static final String[][] ACL_CLIENTS = {
        {"c1", null}, {"c1", "alice"}, {"dev/1", "bob"}, {"c+#", "alice"}, {"%c", "%u"}, {"c2", "admin"}};
    private static final String[] ACL_TOPICS = {"a", "a/b", "alice/x", "$SYS/broker/load", "/", "a//b",
        "devices/c1/t", "inbox/alice", "plant/valve"};

    @FuzzTest(maxDuration = "15s")
    void anyAclFile(byte[] content) throws IOException {
        Path file = Files.write(dir.resolve("acl"), content);
        Authorizer authorizer;
        try {
            authorizer = Authorizer.load(file, new BrokerMetrics());
        } catch (ConfigException e) {
            assertThat(e.getMessage()).startsWith(file.toString() + ":");
            return;
        }
        List<String> topics = new ArrayList<>(List.of(ACL_TOPICS));
        for (String line : new String(content, StandardCharsets.UTF_8).split("\n")) {
            String last = line.strip().replaceAll(".*[ \t]", "");
            if (!last.isEmpty()) {
                topics.add(last.replace("+", "x").replace("#", "x").replace("%c", "c1").replace("%u", "alice"));
            }
        }
        for (String[] client : ACL_CLIENTS) {
            ClientAccess access = authorizer.access(client[0], client[1], Set.of("admin", "operators"));
            for (String topic : topics) {
                if (Topics.topicNameError(topic) != null) {
                    continue;
                }
                access.mayPublish(topic);
                if (access.mayRead(topic)) {
                    assertThat(access.maySubscribe(topic)).as("%s may read %s, so may subscribe to it", client[0],
                            topic).isTrue();
                }
                access.maySubscribe(topic.substring(0, topic.indexOf('/') + 1) + "#");
            }
        }
    }
}
