package org.wrenmq.it.durability;

import java.nio.file.Path;
import org.eclipse.paho.client.mqttv3.MqttClient;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.io.TempDir;

/**
 * A test against one broker process whose config and store live in a fresh temporary folder, with one Paho
 * client; both are closed after each test, whatever state the test left them in.
 */
abstract class BrokerProcessTest {
    @TempDir
    Path dir;

    BrokerProcess broker;
    MqttClient client;

    @AfterEach
    void closeClientAndBroker() {
        PahoClients.closeQuietly(client);
        if (broker != null) {
            broker.close();
        }
    }
}
