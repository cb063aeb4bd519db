package org.wrenmq.cdi;

import jakarta.json.bind.Jsonb;
import jakarta.resource.ResourceException;
import java.util.concurrent.CompletionStage;
import org.wrenmq.api.MqttMessage;
import org.wrenmq.api.QoS;
import org.wrenmq.api.jca.MqttConnection;
import org.wrenmq.api.jca.MqttConnectionFactory;

/**
 * An {@link org.wrenmq.api.MqttPublisher} over a connection factory: each publish takes a connection from the
 * server's pool and gives it back, as {@code try (MqttConnection c = factory.getConnection())} would. The server
 * enlists that connection in the caller's JTA transaction, so inside one the message leaves on commit and a
 * rollback drops it; outside one it leaves at once. Stateless, so one instance serves every thread.
 */
final class FactoryPublisher implements org.wrenmq.api.MqttPublisher {

    static final String JSON_CONTENT_TYPE = "application/json";

    private final MqttConnectionFactory factory;
    private final String jndiName;
    private final Jsonb applicationJsonb;   // null: the adapter's own JSON-B serializes

    FactoryPublisher(MqttConnectionFactory factory, String jndiName, Jsonb applicationJsonb) {
        this.factory = factory;
        this.jndiName = jndiName;
        this.applicationJsonb = applicationJsonb;
    }

    @Override
    public CompletionStage<Void> publish(MqttMessage message) {
        try (MqttConnection connection = connection()) {
            return connection.publish(message);
        }
    }

    /** With the application's own {@code Jsonb} bean when it has one (its config, adapters), else the adapter's. */
    @Override
    public CompletionStage<Void> publishJson(String topic, Object value, QoS qos) {
        if (applicationJsonb != null) {
            return publish(MqttMessage.builder(topic).payload(applicationJsonb.toJson(value)).qos(qos)
                    .contentType(JSON_CONTENT_TYPE).build());
        }
        try (MqttConnection connection = connection()) {
            return connection.publishJson(topic, value, qos);
        }
    }

    /**
     * No connection is thrown, not a failed stage: inside a transaction a caller rarely looks at the stage, and
     * must not lose the message unseen.
     */
    private MqttConnection connection() {
        try {
            return factory.getConnection();
        } catch (ResourceException e) {
            throw new IllegalStateException("WrenMQ: no connection from " + jndiName + ": " + e.getMessage(), e);
        }
    }

    @Override
    public String toString() {
        return "MqttPublisher[" + jndiName + "]";
    }
}
