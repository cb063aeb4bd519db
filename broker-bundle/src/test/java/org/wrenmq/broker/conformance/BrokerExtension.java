package org.wrenmq.broker.conformance;

import org.eclipse.paho.client.mqttv3.MqttException;
import org.wrenmq.broker.testing.InProcessBroker;

/** The in-process broker of the MQTT 3.1.1 conformance tests, and the clients they open through it. */
final class BrokerExtension extends InProcessBroker {
    /** A mosquitto-style setting for the broker this test will start. */
    BrokerExtension set(String key, String value) {
        put(key, value);
        return this;
    }

    /** The broker's time moves only when the test advances {@link #clock()}. */
    BrokerExtension withManualClock() {
        useManualClock();
        return this;
    }

    RawClient raw() {
        return track(RawClient.open(port()));
    }

    /** A raw MQTT 3.1.1 client, connected with the given session choice. */
    RawClient rawConnected(String clientId, boolean cleanSession) {
        return raw().connectAccepted(Packets.connect(clientId).cleanSession(cleanSession));
    }

    /** A Paho client, not yet connected. */
    PahoClient paho(String clientId) {
        return track(new PahoClient(port(), clientId));
    }

    /** A Paho MQTT 3.1.1 client with a clean session, connected. */
    PahoClient pahoConnected(String clientId) throws MqttException {
        return paho(clientId).connect(PahoClient.MQTT_3_1_1, true);
    }

    /** A connected client that can show the broker still serves its other clients. */
    Bystander bystander() throws MqttException {
        return new Bystander(pahoConnected("bystander"));
    }
}
