package org.wrenmq.it.appserver;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Properties;

/** Values the client side chose at run time (free ports), read inside the server from the test application. */
final class TestSettings {

    static final String RESOURCE = "wrenmq-it.properties";
    static final String MQTT_PORT = "mqtt.port";

    private TestSettings() {
    }

    static int mqttPort() {
        Properties properties = new Properties();
        try (InputStream in = TestSettings.class.getClassLoader().getResourceAsStream(RESOURCE)) {
            if (in == null) {
                throw new IllegalStateException(RESOURCE + " is missing: this runs inside the test application only");
            }
            properties.load(in);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return Integer.parseInt(properties.getProperty(MQTT_PORT));
    }
}
