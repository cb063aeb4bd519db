package org.wrenmq.it.mqttjs;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.wrenmq.broker.Broker;
import org.wrenmq.broker.auth.PasswordFileWriter;

/**
 * What an acl_file does, as MQTT.js sees it at MQTT 3.1.1 and 5 ({@code acl.cjs}): a filter nothing under
 * which may be read is refused in the SUBACK, a partly readable one granted and filtered at delivery, a denied
 * PUBLISH acknowledged as each version requires, retained messages sent only where they may be read.
 */
@DisplayName("acl_file through MQTT.js, MQTT 3.1.1 and 5")
class MqttJsAclTests {
    private static MqttJs mqttJs;

    @TempDir
    Path dir;

    private Broker broker;

    @BeforeAll
    static void installMqttJs() {
        mqttJs = MqttJs.install();
    }

    @AfterEach
    void stopBroker() {
        if (broker != null) {
            broker.close();
        }
    }

    @ParameterizedTest(name = "MQTT.js protocolVersion {0}")
    @ValueSource(strings = {"4", "5"})
    @DisplayName("[MQTT-3.9.3-1] [MQTT-3.3.5-2] SUBACK refusals, denied publishes, deliveries and retained messages "
            + "filtered by read rights")
    void aclOutcomes(String version) throws IOException {
        boolean v5 = version.equals("5");
        Map<String, String> r = mqttJs.runScript("acl.cjs", version, String.valueOf(startBroker()));

        String refused = v5 ? "135" : "128"; // 5.0: 0x87 not authorized; 3.1.1: 0x80 failure
        assertThat(r.get("suback")).as("acl/secret/# refused, acl/mine/# granted").isEqualTo(refused + ",1");
        assertThat(r.get("subackUnreadable")).isEqualTo(refused);
        assertThat(r.get("subackPartlyReadable")).isEqualTo("all granted");
        // 3.1.1 has no refusal in PUBACK: acknowledged and dropped; 5.0: PUBACK 0x87
        assertThat(r.get("publishDenied")).isEqualTo(v5 ? "refused 135" : "ok");
        assertThat(r.get("publishDeniedRetained")).isEqualTo(v5 ? "refused 135" : "ok");
        assertThat(r.get("publishAllowed")).isEqualTo("ok");
        assertThat(r.get("live")).as("acl/closed/live sent first, not delivered").isEqualTo("acl/open/live:shown:false");
        assertThat(r.get("retained")).as("acl/closed/kept is retained, not sent").isEqualTo("acl/open/kept:shown:true");
        Map<String, Long> counters = broker.counters();
        assertThat(counters.get("retained.messages")).as("the denied retained publish was not stored").isEqualTo(2);
        assertThat(counters.get("acl.denied.publish")).isEqualTo(2);
        assertThat(counters.get("acl.denied.subscribe")).isEqualTo(2);
        assertThat(counters.get("acl.denied.delivery")).isGreaterThanOrEqualTo(2);
    }

    private int startBroker() throws IOException {
        Path passwd = dir.resolve("passwd");
        PasswordFileWriter writer = new PasswordFileWriter();
        writer.create(passwd, "writer", "writer-secret");
        writer.set(passwd, "reader", "reader-secret");
        Path acl = Files.writeString(dir.resolve("acl"), String.join("\n",
                "user writer", "topic write acl/#", "topic read acl/mine/#",
                "user reader", "topic read acl/open/#") + "\n");
        broker = Broker.builder().listener(0, "127.0.0.1").set("allow_anonymous", "false")
                .set("password_file", passwd.toString()).set("acl_file", acl.toString())
                .set("persistence", "false").set("sys_interval", "0").build().start(); // no $SYS retained
        return broker.port();
    }
}
