package org.wrenmq.broker.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Base64;
import java.util.Map;
import org.eclipse.paho.client.mqttv3.MqttClient;
import org.eclipse.paho.client.mqttv3.MqttConnectOptions;
import org.eclipse.paho.client.mqttv3.persist.MemoryPersistence;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.wrenmq.broker.Broker;
import org.wrenmq.broker.testing.SecurityFiles;

/**
 * The console's JSON endpoints through a real socket: login by HTTP basic authentication against the
 * password_file, the acl_file's rights for the logged-in user, and the header a change needs. (The pages
 * themselves are tested in a real browser by src-test/clients' WebConsoleIT.)
 */
class ConsoleApiTests {
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    @TempDir
    Path dir;
    private Broker broker;
    private MqttClient device;

    @BeforeEach
    void start() throws Exception {
        Path passwords = SecurityFiles.passwords(dir.resolve("passwd"),
                Map.of("operator", "op", "device", "dev"));
        Path acl = SecurityFiles.acl(dir.resolve("acl"),
                "user operator", "topic readwrite #", "topic readwrite $CONTROL/wrenmq/#",
                "user device", "topic readwrite plant/#", "topic read office/#");
        broker = Broker.builder().listener(0, "127.0.0.1").set("allow_anonymous", "false")
                .set("password_file", passwords.toString()).set("acl_file", acl.toString())
                .set("persistence", "false").set("message_size_limit", "100").set("http_listener", "0").build().start();
        device = new MqttClient("tcp://127.0.0.1:" + broker.port(), "device-1", new MemoryPersistence());
        MqttConnectOptions options = new MqttConnectOptions();
        options.setUserName("device");
        options.setPassword("dev".toCharArray());
        options.setKeepAliveInterval(45);
        device.connect(options);
        device.publish("plant/boiler", "hot".getBytes(), 1, true);
        device.subscribe("office/#", 1);
        broker.publish(org.wrenmq.api.MqttMessage.builder("office/door").payload("open").retain(true).build())
                .toCompletableFuture().get();
    }

    @AfterEach
    void stop() throws Exception {
        if (device.isConnected()) {
            device.disconnect();
        }
        device.close();
        broker.close();
    }

    @Test
    void theApiNeedsALoginAndDoesNotChallengeSoTheBrowserOpensNoDialog() throws Exception {
        HttpResponse<String> anonymous = get("/api/overview", null, null);
        assertThat(anonymous.statusCode()).isEqualTo(401);
        assertThat(anonymous.headers().firstValue("WWW-Authenticate")).isEmpty();
        assertThat(get("/api/overview", "operator", "wrong").statusCode()).isEqualTo(401);
        HttpResponse<String> page = get("/", null, null);
        assertThat(page.statusCode()).as("the page itself holds no data").isEqualTo(200);
        assertThat(page.headers().firstValue("Content-Security-Policy")).hasValueSatisfying(
                policy -> assertThat(policy).contains("default-src 'self'"));
    }

    @Test
    void clientDetailsShowWhatTheClientAskedFor() throws Exception {
        HttpResponse<String> details = get("/api/client?id=device-1", "operator", "op");
        assertThat(details.statusCode()).isEqualTo(200);
        assertThat(details.body()).contains("\"keepAliveSeconds\":45", "\"protocolVersion\":4",
                "\"topicFilter\":\"office/#\"", "\"connected\":true");
        assertThat(get("/api/client?id=nobody", "operator", "op").statusCode()).isEqualTo(404);
    }

    @Test
    void aUserWithoutTheAdminTopicSeesNoClientsAndCannotDisconnect() throws Exception {
        assertThat(get("/api/clients", "device", "dev").statusCode()).isEqualTo(403);
        assertThat(post("/api/disconnect", "id=device-1", "device", "dev", true).statusCode()).isEqualTo(403);
        assertThat(device.isConnected()).isTrue();

        HttpResponse<String> done = post("/api/disconnect", "id=device-1", "operator", "op", true);
        assertThat(done.statusCode()).isEqualTo(200);
        await().atMost(Duration.ofSeconds(10)).until(() -> !device.isConnected());
    }

    @Test
    void retainedMessagesAreShownWhereTheUserMayReadAndDeletedWhereItMayWrite() throws Exception {
        String seen = get("/api/retained?filter=%23", "device", "dev").body();
        assertThat(seen).contains("\"topic\":\"plant/boiler\"", "\"text\":\"hot\"", "\"topic\":\"office/door\"");
        assertThat(seen).contains("\"mayDelete\":false");
        assertThat(post("/api/retained/delete", "topic=office/door", "device", "dev", true).statusCode())
                .isEqualTo(403);
        assertThat(post("/api/retained/delete", "topic=plant/boiler", "device", "dev", true).statusCode())
                .isEqualTo(200);
        assertThat(broker.retained("#", 10)).extracting(m -> m.topic()).containsExactly("office/door");
        assertThat(post("/api/retained/delete", "topic=plant/boiler", "device", "dev", true).statusCode())
                .as("nothing left to delete").isEqualTo(404);
    }

    @Test
    void publishingFollowsTheAclAndAChangeNeedsTheConsoleHeader() throws Exception {
        assertThat(post("/api/publish", "topic=office/door&payload=closed", "device", "dev", true).statusCode())
                .isEqualTo(403);
        HttpResponse<String> withoutHeader = post("/api/publish", "topic=plant/x&payload=1", "device", "dev", false);
        assertThat(withoutHeader.statusCode()).isEqualTo(403);
        assertThat(withoutHeader.body()).contains("X-WrenMQ-Console");
        assertThat(post("/api/publish", "topic=plant/x&payload=1&retain=true", "device", "dev", true).statusCode())
                .isEqualTo(200);
        assertThat(broker.retained("plant/x", 10)).extracting(m -> m.payloadAsString()).containsExactly("1");
        HttpResponse<String> tooLarge = post("/api/publish", "topic=plant/x&payload=" + "x".repeat(200), "operator",
                "op", true);
        assertThat(tooLarge.statusCode()).as("the broker's own refusal, with its reason code").isEqualTo(400);
        assertThat(tooLarge.body()).contains("refused (reason 0x95)");
    }

    private HttpResponse<String> get(String path, String user, String password) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(uri(path));
        if (user != null) {
            b.header("Authorization", basic(user, password));
        }
        return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    private HttpResponse<String> post(String path, String form, String user, String password, boolean consoleHeader)
            throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(uri(path)).POST(HttpRequest.BodyPublishers.ofString(form))
                .header("Content-Type", "application/x-www-form-urlencoded")
                .header("Authorization", basic(user, password));
        if (consoleHeader) {
            b.header(ConsoleApi.CSRF_HEADER, "1");
        }
        return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    private URI uri(String path) {
        return URI.create("http://127.0.0.1:" + broker.httpAddress().getPort() + path);
    }

    private static String basic(String user, String password) {
        return "Basic " + Base64.getEncoder().encodeToString((user + ":" + password).getBytes(StandardCharsets.UTF_8));
    }
}
