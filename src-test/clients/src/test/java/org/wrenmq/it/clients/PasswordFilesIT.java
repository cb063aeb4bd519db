package org.wrenmq.it.clients;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;

import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.wrenmq.broker.Broker;
import org.wrenmq.it.support.ClientProcess;

/**
 * Password files shared with mosquitto, both ways: {@code ./wrenmq passwd} writes a file real mosquitto accepts,
 * and a file made by mosquitto_passwd logs clients into WrenMQ. The clients are mosquitto_pub with -u/-P.
 */
@DisplayName("password files: ./wrenmq passwd <-> mosquitto")
class PasswordFilesIT {

    @TempDir
    Path dir;

    @RegisterExtension
    final Launched launched = new Launched();


    @Test
    @DisplayName("a file made by ./wrenmq passwd logs mosquitto_pub into real mosquitto; a wrong password is refused")
    void mosquittoAcceptsWrenmqPasswordFile() throws Exception {
        Path passwords = dir.resolve("passwd");
        wrenmq("passwd", "-c", "-b", passwords.toString(), "alice", "s3cret").awaitSuccess();
        wrenmq("passwd", "-b", passwords.toString(), "bob", "other").awaitSuccess();
        int port = launched.mosquitto(dir, "allow_anonymous false", "password_file " + passwords).port();

        assertThat(publish(port, "alice", "s3cret").awaitExit()).as("alice with her password").isZero();
        assertThat(publish(port, "bob", "other").awaitExit()).as("bob with his password").isZero();
        ClientProcess refused = publish(port, "alice", "wrong");
        assertThat(refused.awaitExit()).as("alice with a wrong password").isNotZero();
        assertThat(refused.output()).contains("Connection Refused");
    }

    @Test
    @DisplayName("a file made by mosquitto_passwd logs mosquitto_pub into WrenMQ; a wrong password is refused")
    void wrenmqAcceptsMosquittoPasswordFile() throws Exception {
        Path passwords = dir.resolve("passwd");
        run("mosquitto_passwd", "-c", "-b", passwords.toString(), "alice", "s3cret").awaitSuccess();
        try (Broker broker = Broker.builder().listener(0, "127.0.0.1").set("allow_anonymous", "false")
                .set("password_file", passwords.toString()).set("persistence", "false").build().start()) {

            assertThat(publish(broker.port(), "alice", "s3cret").awaitExit()).as("right password").isZero();
            ClientProcess refused = publish(broker.port(), "alice", "wrong");
            assertThat(refused.awaitExit()).as("wrong password").isNotZero();
            assertThat(refused.output()).contains("Connection Refused");
        }
    }

    private ClientProcess publish(int port, String user, String password) {
        return run("mosquitto_pub", "-h", "127.0.0.1", "-p", Integer.toString(port), "-u", user, "-P", password,
                "-q", "1", "-t", "login/check", "-m", "hello");
    }

    /** {@code ./wrenmq ARGS} on broker-bundle's jar, as an operator runs it. */
    private ClientProcess wrenmq(String... args) {
        return launched.wrenmq(dir, args);
    }

    private ClientProcess run(String... command) {
        return launched.run(dir, command);
    }

}
