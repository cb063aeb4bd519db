package org.wrenmq.it.clients;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;

import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.wrenmq.it.support.ClientProcess;

/**
 * Refused logins through mosquitto_pub, on the standalone broker ({@code ./wrenmq -c FILE}) and on mosquitto 2.0
 * with the same password file: an unknown user, a wrong password and an anonymous client get the same answer
 * from both (CONNACK 5 at 3.1.1, 0x87 at 5.0, which mosquitto_pub turns into its exit status and message). A
 * client guessing passwords is refused every time, counted in /metrics, and logged a bounded number of times.
 */
@DisplayName("refused logins: same answer as mosquitto, counted, log bounded (./wrenmq, mosquitto_pub)")
class LoginRefusalIT {
    private static final Duration PATIENCE = ClientProcess.PATIENCE;
    private static final Path MOSQUITTO = Path.of("/usr/sbin/mosquitto");
    private static final int GUESSES = 200;

    @TempDir
    Path dir;

    @RegisterExtension
    final Launched launched = new Launched();
    private Path passwd;
    private ClientProcess wrenmq;


    @ParameterizedTest(name = "MQTT {0}: {1}")
    @CsvSource({
        "mqttv311, wrong password, alice, wrong",
        "mqttv311, unknown user, mallory, a",
        "mqttv311, anonymous, ,",
        "mqttv5, wrong password, alice, wrong",
        "mqttv5, unknown user, mallory, a",
        "mqttv5, anonymous, ,",
    })
    @DisplayName("[MQTT-3.2.2-5] mosquitto_pub gets the same refusal from WrenMQ as from mosquitto 2.0")
    void sameRefusalAsMosquitto(String version, String situation, String user, String password) throws Exception {
        Assumptions.assumeTrue(Files.isExecutable(MOSQUITTO), "mosquitto is installed (Debian package mosquitto)");
        passwordFile();
        int wrenmqPort = startWrenmq(0);
        int mosquittoPort = startMosquitto();

        ClientProcess onWrenmq = publish(wrenmqPort, version, user, password);
        ClientProcess onMosquitto = publish(mosquittoPort, version, user, password);

        int expectedStatus = version.equals("mqttv5") ? 0x87 : 5; // mosquitto_pub exits with the CONNACK code
        assertThat(onMosquitto.awaitExit()).as("mosquitto, %s", situation).isEqualTo(expectedStatus);
        assertThat(onWrenmq.awaitExit()).as("WrenMQ, %s; output:%n%s", situation, onWrenmq.output())
                .isEqualTo(expectedStatus);
        assertThat(onWrenmq.output()).isEqualTo(onMosquitto.output()).containsIgnoringCase("not authori");
    }

    @Test
    @DisplayName("200 wrong passwords in a row: each refused, counted in /metrics, logged once; the right one works")
    void guessingPasswordsIsRefusedCountedAndLoggedOnce() throws Exception {
        passwordFile();
        int httpPort = Launched.freePort();
        int port = startWrenmq(httpPort);

        for (int i = 0; i < GUESSES; i++) {
            assertThat(publish(port, "mqttv311", "alice", "guess" + i).awaitExit()).as("guess %d", i).isEqualTo(5);
        }

        assertThat(publish(port, "mqttv5", "alice", "a").awaitExit()).as("the right password, after").isZero();
        String metrics = get("http://127.0.0.1:" + httpPort + "/metrics", "alice:a");
        assertThat(metrics).contains("wrenmq_connections_refused_total{reason=\"not_authorized\"} " + GUESSES + ".0");
        String log = wrenmq.output();
        assertThat(log.lines().filter(l -> l.contains("refused"))).as("log lines about refusals; output:%n%s", log)
                .hasSize(1);
    }

    private void passwordFile() throws InterruptedException {
        passwd = dir.resolve("passwd");
        launched.run(dir, "mosquitto_passwd", "-c", "-b", passwd.toString(), "alice", "a").awaitSuccess();
    }

    /** ./wrenmq with the password file, anonymous clients refused; and /metrics on {@code httpPort} unless 0. */
    private int startWrenmq(int httpPort) throws Exception {
        int port = Launched.freePort();
        Path config = Files.writeString(dir.resolve("wrenmq.conf"), "listener " + port + " 127.0.0.1\n"
                + "allow_anonymous false\npassword_file " + passwd + "\npersistence false\n"
                + (httpPort == 0 ? "" : "http_listener " + httpPort + "\n"));
        wrenmq = launched.wrenmq(dir, "-c", config.toString());
        awaitServing(wrenmq, port);
        return port;
    }

    private int startMosquitto() throws Exception {
        int port = Launched.freePort();
        Path config = Files.writeString(dir.resolve("mosquitto.conf"), "listener " + port + " 127.0.0.1\n"
                // as root, mosquitto would switch to its own user, who cannot read the test's private folder
                + "user " + System.getProperty("user.name") + "\nallow_anonymous false\npassword_file " + passwd
                + "\npersistence false\n");
        awaitServing(launched.run(dir, MOSQUITTO.toString(), "-c", config.toString()), port);
        return port;
    }

    private void awaitServing(ClientProcess broker, int port) {
        await().atMost(PATIENCE).pollInterval(Duration.ofMillis(200)).until(() -> {
            assertThat(broker.isAlive()).as("broker running; output:%n%s", broker.output()).isTrue();
            return publish(port, "mqttv311", "alice", "a").awaitExit() == 0;
        });
    }

    private ClientProcess publish(int port, String version, String user, String password) {
        List<String> command = new ArrayList<>(List.of("mosquitto_pub", "-h", "127.0.0.1", "-p",
                Integer.toString(port), "-V", version, "-t", "login/check", "-m", "hello"));
        if (user != null) {
            command.addAll(List.of("-u", user, "-P", password));
        }
        return launched.run(dir, command.toArray(String[]::new));
    }

    /** GET with HTTP basic authentication: /metrics asks for a password_file login when anonymous is refused. */
    private static String get(String url, String userAndPassword) throws Exception {
        String credentials = Base64.getEncoder().encodeToString(userAndPassword.getBytes(StandardCharsets.UTF_8));
        HttpResponse<String> response = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(url))
                .header("Authorization", "Basic " + credentials).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).as("GET %s", url).isEqualTo(200);
        return response.body();
    }
}
