package org.wrenmq.broker.standalone;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.wrenmq.broker.auth.PasswordFile;
import org.wrenmq.broker.auth.PasswordFileWriter;

@DisplayName("wrenmq passwd: mosquitto_passwd's flags")
class PasswdCommandTests {
    @TempDir
    Path dir;

    private final ByteArrayOutputStream messages = new ByteArrayOutputStream();
    private final Deque<String> typed = new ArrayDeque<>();

    private int run(String... args) {
        PasswdCommand command = new PasswdCommand(new PasswordFileWriter(),
                new PrintStream(messages, true, StandardCharsets.UTF_8), prompt -> typed.poll());
        return command.run(args);
    }

    private String messages() {
        return messages.toString(StandardCharsets.UTF_8);
    }

    @Test
    @DisplayName("-c -b FILE USER PASSWORD creates the file; -b FILE USER PASSWORD adds a user")
    void batchCreatesAndAdds() {
        Path file = dir.resolve("passwd");

        assertThat(run("-c", "-b", file.toString(), "alice", "one")).isZero();
        assertThat(run("-b", file.toString(), "bob", "two")).isZero();

        PasswordFile passwords = PasswordFile.read(file);
        assertThat(passwords.verify("alice", "one".getBytes(StandardCharsets.UTF_8))).isTrue();
        assertThat(passwords.verify("bob", "two".getBytes(StandardCharsets.UTF_8))).isTrue();
    }

    @Test
    @DisplayName("without -b the password is asked twice; two different answers change nothing")
    void promptsTwice() {
        Path file = dir.resolve("passwd");
        typed.addAll(List.of("one", "one"));
        assertThat(run("-c", file.toString(), "alice")).isZero();

        typed.addAll(List.of("two", "tow"));
        assertThat(run(file.toString(), "alice")).isEqualTo(1);

        assertThat(messages()).contains("wrenmq passwd: passwords do not match");
        assertThat(PasswordFile.read(file).verify("alice", "one".getBytes(StandardCharsets.UTF_8))).isTrue();
    }

    @Test
    @DisplayName("-D deletes a user; an unknown user is an error (exit 1)")
    void deleteRemovesUser() {
        Path file = dir.resolve("passwd");
        run("-c", "-b", file.toString(), "alice", "one");

        assertThat(run("-D", file.toString(), "alice")).isZero();
        assertThat(run("-D", file.toString(), "alice")).isEqualTo(1);

        assertThat(PasswordFile.read(file).contains("alice")).isFalse();
        assertThat(messages()).contains("wrenmq passwd: user alice not found in " + file);
    }

    @Test
    @DisplayName("without -c a missing file is an error, and nothing is created")
    void missingFileWithoutCreate() {
        Path file = dir.resolve("passwd");

        assertThat(run("-b", file.toString(), "alice", "one")).isEqualTo(1);

        assertThat(file).doesNotExist();
        assertThat(messages()).contains("does not exist (use -c to create it)");
    }

    @Test
    @DisplayName("wrong usage: exit 1 with the usage text")
    void usageErrors() throws Exception {
        assertThat(run("-b", "file", "alice")).isEqualTo(1);
        assertThat(run("-c", "-D", "file", "alice")).isEqualTo(1);
        assertThat(run("-x", "file", "alice")).isEqualTo(1);
        assertThat(run("-b", dir.resolve("f").toString(), "a:b", "p")).isEqualTo(1);

        assertThat(messages()).contains("usage: wrenmq passwd").contains("unknown option -x").contains("':'");
        try (var files = Files.list(dir)) {
            assertThat(files).isEmpty();
        }
    }
}
