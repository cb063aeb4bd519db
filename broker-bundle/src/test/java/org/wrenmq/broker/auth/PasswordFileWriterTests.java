package org.wrenmq.broker.auth;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

@DisplayName("password files written as mosquitto_passwd writes them")
class PasswordFileWriterTests {
    /** Made by Debian's mosquitto_passwd 2.0.11: {@code mosquitto_passwd -c -b FILE u p}. */
    private static final String MOSQUITTO_LINE = "u:$7$101$CbOgrU+wcN5Zr1df$rPRI+3uHVDDfiEEo8e5cwK8CRcGf+nsecpaJBnI4skRY"
            + "3aNUWM2ZYMeVjiBlS6NDXD3+7mvNB+/+KtfW1Kf2NQ==";

    @TempDir
    Path dir;

    private final PasswordFileWriter writer = new PasswordFileWriter();

    @Test
    @DisplayName("a line is user:$7$101$SALT$HASH with a 12-byte salt and a 64-byte hash, as mosquitto 2 writes")
    void lineHasMosquittoFormat() {
        String line = writer.line("alice", "s3cret");

        assertThat(line).matches("alice:\\$7\\$101\\$[A-Za-z0-9+/=]+\\$[A-Za-z0-9+/=]+");
        String[] parts = line.split("\\$");
        assertThat(Base64.getDecoder().decode(parts[3])).hasSize(12);
        assertThat(Base64.getDecoder().decode(parts[4])).hasSize(64);
        assertThat(parts[3].length()).as("base64 of 12 bytes, as in mosquitto's lines").isEqualTo(16);
        assertThat(line.length()).isEqualTo(MOSQUITTO_LINE.length() - 1 + "alice".length());
    }

    @Test
    @DisplayName("a file made by mosquitto_passwd is read: the right password passes, another fails")
    void mosquittoFileIsRead() throws Exception {
        Path file = Files.writeString(dir.resolve("passwd"), MOSQUITTO_LINE + "\n");

        PasswordFile passwords = PasswordFile.read(file);

        assertThat(passwords.verify("u", bytes("p"))).isTrue();
        assertThat(passwords.verify("u", bytes("q"))).isFalse();
    }

    @Test
    @DisplayName("create, add, change and delete users; other lines and comments are kept")
    void editsKeepOtherLines() throws Exception {
        Path file = dir.resolve("passwd");
        writer.create(file, "alice", "one");
        Files.writeString(file, "# devices\n" + MOSQUITTO_LINE + "\n", java.nio.file.StandardOpenOption.APPEND);

        writer.set(file, "bob", "two");
        writer.set(file, "alice", "three");

        PasswordFile passwords = PasswordFile.read(file);
        assertThat(passwords.verify("alice", bytes("three"))).isTrue();
        assertThat(passwords.verify("alice", bytes("one"))).isFalse();
        assertThat(passwords.verify("bob", bytes("two"))).isTrue();
        assertThat(passwords.verify("u", bytes("p"))).isTrue();
        assertThat(Files.readAllLines(file)).hasSize(4).element(1).isEqualTo("# devices");

        assertThat(writer.delete(file, "alice")).isTrue();
        assertThat(writer.delete(file, "alice")).as("already gone").isFalse();
        assertThat(PasswordFile.read(file).contains("alice")).isFalse();
        assertThat(Files.readAllLines(file)).containsExactly("# devices", MOSQUITTO_LINE,
                Files.readAllLines(file).get(2));
    }

    @Test
    @DisplayName("-c replaces a file already there")
    void createReplaces() throws Exception {
        Path file = Files.writeString(dir.resolve("passwd"), MOSQUITTO_LINE + "\n");

        writer.create(file, "alice", "one");

        assertThat(Files.readAllLines(file)).singleElement().asString().startsWith("alice:$7$101$");
    }

    @Test
    @DisplayName("-U hashes plain user:password lines and leaves hashed ones alone")
    void upgradeHashesPlainLines() throws Exception {
        Path file = Files.writeString(dir.resolve("passwd"), "alice:one\n" + MOSQUITTO_LINE + "\n");

        assertThat(writer.upgrade(file)).isEqualTo(1);
        assertThat(writer.upgrade(file)).as("second run").isZero();

        PasswordFile passwords = PasswordFile.read(file);
        assertThat(passwords.verify("alice", bytes("one"))).isTrue();
        assertThat(passwords.verify("u", bytes("p"))).isTrue();
    }

    @Test
    @DisplayName("a user name with ':' is refused, as mosquitto_passwd does")
    void colonInUserNameIsRefused() {
        assertThatThrownBy(() -> writer.line("a:b", "p")).hasMessageContaining("':'");
    }

    @Test
    @DisplayName("a line with an empty salt is refused with FILE:LINE when read, not at the first login (found by fuzzing)")
    void emptySaltIsRefusedWhenRead() throws Exception {
        Path file = Files.writeString(dir.resolve("passwd"), "# devices\nuser:$7$0001$$MDE1MDE1Nj\n");

        assertThatThrownBy(() -> PasswordFile.read(file)).hasMessageStartingWith(file + ":2: ");
    }

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }
}
