package org.wrenmq.broker.fuzz;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.junit.FuzzTest;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.TestInstance;
import org.wrenmq.broker.BrokerConfig;
import org.wrenmq.broker.ConfigException;
import org.wrenmq.broker.auth.PasswordFile;

/**
 * Any bytes as a config file and as a password file: each is read, or refused with a {@link ConfigException} whose
 * message names the file (and for a bad line, the line), never with any other exception.
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
}
