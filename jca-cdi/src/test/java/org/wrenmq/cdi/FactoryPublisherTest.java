package org.wrenmq.cdi;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import jakarta.json.bind.Jsonb;
import jakarta.json.bind.JsonbBuilder;
import jakarta.json.bind.JsonbConfig;
import jakarta.json.bind.config.PropertyNamingStrategy;
import jakarta.resource.ResourceException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import javax.naming.Reference;
import org.junit.jupiter.api.Test;
import org.wrenmq.api.MqttMessage;
import org.wrenmq.api.QoS;
import org.wrenmq.api.jca.MqttConnection;
import org.wrenmq.api.jca.MqttConnectionFactory;

class FactoryPublisherTest {

    /** A factory that records what its connections publish and how many are open. */
    private static final class RecordingFactory implements MqttConnectionFactory {
        private static final long serialVersionUID = 1L;
        final List<MqttMessage> published = new ArrayList<>();
        final List<String> jsonValues = new ArrayList<>();
        int open;
        ResourceException failure;

        @Override
        public MqttConnection getConnection() throws ResourceException {
            if (failure != null) {
                throw failure;
            }
            open++;
            return new MqttConnection() {
                @Override
                public CompletionStage<Void> publish(MqttMessage message) {
                    published.add(message);
                    return CompletableFuture.completedFuture(null);
                }

                @Override
                public CompletionStage<Void> publishJson(String topic, Object value, QoS qos) {
                    jsonValues.add(topic + "=" + value);
                    return CompletableFuture.completedFuture(null);
                }

                @Override
                public void close() {
                    open--;
                }
            };
        }

        @Override
        public void setReference(Reference reference) {
        }

        @Override
        public Reference getReference() {
            return null;
        }
    }

    public static class Reading {
        public String sensorName = "s1";
    }

    @Test
    void eachPublishTakesAConnectionAndGivesItBack() {
        RecordingFactory factory = new RecordingFactory();
        FactoryPublisher publisher = new FactoryPublisher(factory, "java:comp/env/mqtt/factory", null);

        publisher.publish("a/b", "one", QoS.AT_LEAST_ONCE);
        publisher.publish("a/b", "two", QoS.AT_MOST_ONCE);

        assertThat(factory.published).extracting(MqttMessage::payloadAsString).containsExactly("one", "two");
        assertThat(factory.open).as("connections still held").isZero();
    }

    @Test
    void jsonGoesThroughTheAdapterWhenTheApplicationHasNoJsonb() {
        RecordingFactory factory = new RecordingFactory();

        new FactoryPublisher(factory, "java:comp/env/mqtt/factory", null).publishJson("j", "v", QoS.AT_LEAST_ONCE);

        assertThat(factory.jsonValues).containsExactly("j=v");
        assertThat(factory.open).isZero();
    }

    @Test
    void jsonUsesTheApplicationsJsonbAndSaysItIsJson() throws Exception {
        RecordingFactory factory = new RecordingFactory();
        try (Jsonb jsonb = JsonbBuilder.create(new JsonbConfig()
                .withPropertyNamingStrategy(PropertyNamingStrategy.LOWER_CASE_WITH_UNDERSCORES))) {
            new FactoryPublisher(factory, "java:comp/env/mqtt/factory", jsonb)
                    .publishJson("j", new Reading(), QoS.AT_LEAST_ONCE);
        }

        MqttMessage sent = factory.published.get(0);
        assertThat(sent.payloadAsString()).isEqualTo("{\"sensor_name\":\"s1\"}");
        assertThat(sent.contentType()).contains("application/json");
        assertThat(sent.qos()).isEqualTo(QoS.AT_LEAST_ONCE);
    }

    @Test
    void noConnectionIsAnExceptionNamingTheFactory() {
        RecordingFactory factory = new RecordingFactory();
        factory.failure = new ResourceException("broker down");
        FactoryPublisher publisher = new FactoryPublisher(factory, "java:comp/env/mqtt/orders", null);

        assertThatThrownBy(() -> publisher.publish("t", "x", QoS.AT_LEAST_ONCE))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("java:comp/env/mqtt/orders").hasMessageContaining("broker down");
    }

    @Test
    void namesWithoutJavaPrefixAreResourceReferencesOfTheApplication() {
        assertThat(MqttPublishers.jndiName("mqtt/orders")).isEqualTo("java:comp/env/mqtt/orders");
        assertThat(MqttPublishers.jndiName("java:/wrenmq/ConnectionFactory"))
                .isEqualTo("java:/wrenmq/ConnectionFactory");
    }
}
