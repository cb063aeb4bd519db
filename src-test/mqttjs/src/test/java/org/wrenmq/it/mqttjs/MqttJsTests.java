package org.wrenmq.it.mqttjs;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Arrays;
import java.util.Map;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.wrenmq.broker.Broker;
import org.wrenmq.it.support.ClientProcess;

/**
 * MQTT 5 as MQTT.js uses it, over TCP against an in-process broker. Each test runs one scenario of
 * {@code scenarios.cjs} and checks what the client reported.
 */
class MqttJsTests {
    private static MqttJs mqttJs;
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

    private int startBroker(String... settings) {
        Broker.Builder builder = Broker.builder().listener(0, "127.0.0.1").set("allow_anonymous", "true")
                .set("persistence", "false");
        for (int i = 0; i < settings.length; i += 2) {
            builder.set(settings[i], settings[i + 1]);
        }
        broker = builder.build().start();
        return broker.port();
    }

    /** [MQTT-3.2.2-16] [MQTT-3.2.2-21] section 3.2.2.3: CONNACK properties as MQTT.js decodes them. */
    @Test
    void connackAsMqttJsSeesIt() {
        Map<String, String> r = mqttJs.run("connack", startBroker("max_keepalive", "30"));

        assertThat(r.get("reasonCode")).isEqualTo("0");
        assertThat(r.get("sessionPresent")).isEqualTo("false");
        assertThat(r.get("properties"))
                .contains("\"assignedClientIdentifier\":\"")
                .contains("\"serverKeepAlive\":30")
                .contains("\"receiveMaximum\":20")
                .contains("\"topicAliasMaximum\":10")
                .contains("\"maximumPacketSize\":")
                .doesNotContain("\"maximumQoS\"")
                .doesNotContain("\"sharedSubscriptionAvailable\":false")
                .doesNotContain("\"subscriptionIdentifiersAvailable\":false")
                .doesNotContain("\"wildcardSubscriptionAvailable\":false")
                .doesNotContain("\"retainAvailable\":false");
    }

    /**
     * [MQTT-3.3.2-4] [MQTT-3.3.2-6] [MQTT-3.3.2-15] [MQTT-3.3.2-16] [MQTT-3.3.2-17] [MQTT-3.3.2-18] [MQTT-3.3.2-20]
     * [MQTT-3.3.4-3]: properties from one MQTT.js client reach another unchanged, with the subscription identifier.
     */
    @Test
    void applicationPropertiesPassThrough() {
        Map<String, String> r = mqttJs.run("properties", startBroker());

        assertThat(r.get("topic")).isEqualTo("js/props");
        assertThat(r.get("payload")).isEqualTo("grüße");
        assertThat(r.get("qos")).isEqualTo("1");
        assertThat(r.get("payloadFormatIndicator")).isEqualTo("true");
        assertThat(Integer.parseInt(r.get("messageExpiryInterval"))).isBetween(110, 120);
        assertThat(r.get("contentType")).isEqualTo("text/plain; charset=utf-8");
        assertThat(r.get("responseTopic")).isEqualTo("js/replies");
        assertThat(r.get("correlationData")).isEqualTo("00ff07");
        assertThat(r.get("userProperties")).isEqualTo("{\"zeta\":\"z1\",\"alpha\":[\"a1\",\"a2\"]}");
        assertThat(r.get("subscriptionIdentifier")).isEqualTo("17");
    }

    /**
     * [MQTT-3.1.2-26] [MQTT-3.3.2-10] [MQTT-3.3.2-12]: MQTT.js publishes through its own aliases, the broker
     * resolves them, assigns its own towards the subscriber (at most 2) and MQTT.js resolves those.
     */
    @Test
    void topicAliasesBothWays() {
        Map<String, String> r = mqttJs.run("aliases", startBroker());

        assertThat(r).containsEntry("message0", "js/alias/a m0").containsEntry("message1", "js/alias/b m1")
                .containsEntry("message2", "js/alias/a m2").containsEntry("message3", "js/alias/b m3")
                .containsEntry("message4", "js/alias/a m4");
        assertThat(Arrays.asList(r.get("alias0"), r.get("alias2"), r.get("alias4"))).as("alias of js/alias/a")
                .doesNotContain("none").containsOnly(r.get("alias0"));
        assertThat(Integer.parseInt(r.get("alias0"))).isBetween(1, 2);
        assertThat(Integer.parseInt(r.get("alias1"))).isBetween(1, 2);
    }

    /** [MQTT-3.8.3-3] [MQTT-3.3.1-9] [MQTT-3.3.1-11]: no local, retain handling 2 then 0. */
    @Test
    void subscriptionOptions() {
        Map<String, String> r = mqttJs.run("options", startBroker());

        assertThat(r.get("received")).isEqualTo("js/nl:other:false,js/rh:kept:true");
    }

    /** Section 4.8.2: a shared subscription spreads six jobs over two MQTT.js members, each job once. */
    @Test
    void sharedSubscriptionSpreadsTheWork() {
        Map<String, String> r = mqttJs.run("shared", startBroker());

        String[] a = r.get("a").split(",");
        String[] b = r.get("b").split(",");
        assertThat(a).hasSize(3);
        assertThat(b).hasSize(3);
        assertThat(Arrays.asList(a)).doesNotContainAnyElementsOf(Arrays.asList(b));
    }

    /** [MQTT-3.1.2-23] [MQTT-3.3.2-5] [MQTT-3.3.2-6]: the session waits; the expired message does not. */
    @Test
    void sessionAndMessageExpiry() {
        Map<String, String> r = mqttJs.run("expiry", startBroker());

        assertThat(r.get("sessionPresent")).isEqualTo("true");
        assertThat(r.get("received")).as("only the long-lived message, with what is left of its 60 s")
                .matches("long:5[4-8]");
    }

    /** Section 3.3.2.3.2 [MQTT-3.9.3-1]: PUBACK 0x99 for a payload that is not UTF-8, SUBACK codes in order. */
    @Test
    void reasonCodes() {
        Map<String, String> r = mqttJs.run("reasons", startBroker("max_qos", "1"));

        assertThat(r.get("puback")).isEqualTo("153");
        assertThat(r.get("suback")).isEqualTo("1,1");
    }

    /** [MQTT-3.1.4-3]: MQTT.js sees the takeover as DISCONNECT 0x8E. */
    @Test
    void sessionTakenOver() {
        Map<String, String> r = mqttJs.run("takeover", startBroker());

        assertThat(r.get("reasonCode")).isEqualTo(String.valueOf(0x8E));
    }

    /** Reason code 0x8B: a clean broker stop sends MQTT.js a DISCONNECT saying the server is shutting down. */
    @Test
    void serverShuttingDown() {
        int port = startBroker();
        try (ClientProcess node = mqttJs.start("shutdown", port)) {
            assertThat(node.nextLine(MqttJs.SCENARIO_TIME)).isEqualTo("ready=true");

            broker.close();

            node.awaitExit(MqttJs.SCENARIO_TIME);
            assertThat(MqttJs.parse(node)).containsEntry("reasonCode", String.valueOf(0x8B));
        }
    }
}
