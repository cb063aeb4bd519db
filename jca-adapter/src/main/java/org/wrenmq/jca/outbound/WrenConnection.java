package org.wrenmq.jca.outbound;

import java.util.concurrent.CompletionStage;
import org.wrenmq.api.MqttMessage;
import org.wrenmq.api.QoS;
import org.wrenmq.api.jca.MqttConnection;

/**
 * The handle an application holds; the pool may move it to another managed connection between uses. Public and
 * not final: TomEE wraps every handle in a generated subclass that calls this class's methods by reflection, to
 * track leaked connections ("cannot inherit from final class", then IllegalAccessException).
 */
public class WrenConnection implements MqttConnection {

    /** Content type of {@link #publishJson} messages. */
    static final String JSON_CONTENT_TYPE = "application/json";

    private volatile WrenManagedConnection managed;

    WrenConnection(WrenManagedConnection managed) {
        this.managed = managed;
    }

    @Override
    public CompletionStage<Void> publish(MqttMessage message) {
        return managed().publish(message);
    }

    @Override
    public CompletionStage<Void> publishJson(String topic, Object value, QoS qos) {
        WrenManagedConnection current = managed();
        String json = current.factory().jsonb().toJson(value);
        return current.publish(MqttMessage.builder(topic).payload(json).qos(qos).contentType(JSON_CONTENT_TYPE)
                .build());
    }

    @Override
    public void close() {
        WrenManagedConnection current = managed;
        managed = null;
        if (current != null) {
            current.handleClosed(this);
        }
    }

    void moveTo(WrenManagedConnection other) {
        managed = other;
    }

    void invalidate() {
        managed = null;
    }

    private WrenManagedConnection managed() {
        WrenManagedConnection current = managed;
        if (current == null) {
            throw new IllegalStateException("this MqttConnection is closed");
        }
        return current;
    }
}
