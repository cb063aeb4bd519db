package org.wrenmq.it.mqttjs;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.wrenmq.broker.Broker;
import org.wrenmq.broker.BrokerConfig;
import org.wrenmq.broker.testing.TestPki;

/** MQTT.js (Node) over ws:// and wss:// to WrenMQ's websockets listeners, MQTT 3.1.1 and 5. */
@DisplayName("MQTT.js over WebSockets")
class WebSocketMqttJsTests {
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

    /** Starts a broker from a config file: a websockets listener, plain or with the given TLS lines. */
    static Broker websocketsBroker(Path dir, String tlsLines) throws Exception {
        Path conf = Files.writeString(dir.resolve("wrenmq.conf"), "allow_anonymous true\npersistence false\n"
                + "listener 0 127.0.0.1\nprotocol websockets\n" + tlsLines);
        return Broker.builder().config(BrokerConfig.parse(conf)).build().start();
    }

    @Test
    @DisplayName("ws://: subscribe and publish, MQTT 3.1.1 and 5")
    void overWs() throws Exception {
        broker = websocketsBroker(dir, "");
        Map<String, String> r = mqttJs.runWebSockets("ws://127.0.0.1:" + broker.port() + "/mqtt", null);
        assertThat(r).containsEntry("v4", "hello over ws v4").containsEntry("v5", "hello over ws v5");
    }

    @Test
    @DisplayName("wss://: subscribe and publish, MQTT 3.1.1 and 5, trusting the test CA")
    void overWss() throws Exception {
        TestPki pki = TestPki.create(dir);
        Path[] server = pki.server("server", TestPki.KeyForm.PKCS8_EC);
        broker = websocketsBroker(dir, "certfile " + server[0] + "\nkeyfile " + server[1] + "\n");
        Map<String, String> r = mqttJs.runWebSockets("wss://127.0.0.1:" + broker.port() + "/mqtt", pki.caCert());
        assertThat(r).containsEntry("v4", "hello over wss v4").containsEntry("v5", "hello over wss v5");
    }
}
