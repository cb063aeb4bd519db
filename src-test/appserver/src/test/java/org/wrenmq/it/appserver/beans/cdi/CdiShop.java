package org.wrenmq.it.appserver.beans.cdi;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Any;
import jakarta.enterprise.inject.Instance;
import jakarta.inject.Inject;
import jakarta.transaction.Transactional;
import java.util.concurrent.TimeUnit;
import org.wrenmq.api.MqttPublisher;
import org.wrenmq.api.QoS;
import org.wrenmq.cdi.MqttFactory;

/** A plain CDI bean (no EJB) that publishes through injected publishers, as an application would. */
@ApplicationScoped
public class CdiShop {

    @Inject
    MqttPublisher mqtt;

    @Inject
    @MqttFactory("mqtt/second")
    MqttPublisher second;

    @Inject
    @Any
    Instance<MqttPublisher> publishers;

    /** In a JTA transaction: the message leaves when it commits. */
    @Transactional
    public void publish(String topic, String text) {
        mqtt.publish(topic, text, QoS.AT_LEAST_ONCE);
    }

    /** One message per topic, its topic as payload, in one transaction: they leave together, in order. */
    @Transactional
    public void publishAll(String... topics) {
        for (String topic : topics) {
            mqtt.publish(topic, topic, QoS.AT_LEAST_ONCE);
        }
    }

    /** Publishes, then fails: @Transactional rolls back, nothing may leave. */
    @Transactional
    public void publishThenFail(String topic, String text) {
        mqtt.publish(topic, text, QoS.AT_LEAST_ONCE);
        throw new IllegalStateException("fails after publishing, on purpose");
    }

    @Transactional
    public void publishJson(String topic, Object value) {
        mqtt.publishJson(topic, value, QoS.AT_LEAST_ONCE);
    }

    /** Without a transaction, through the factory named mqtt/second: returns once the broker accepted it. */
    public void publishOnSecond(String topic, String text) throws Exception {
        second.publish(topic, text, QoS.AT_LEAST_ONCE).toCompletableFuture().get(30, TimeUnit.SECONDS);
    }

    /** Without a transaction, through the factory mapped under {@code name}: returns once the broker accepted it. */
    public void publishThrough(String name, String topic, String text) throws Exception {
        named(name).publish(topic, text, QoS.AT_LEAST_ONCE).toCompletableFuture().get(30, TimeUnit.SECONDS);
    }

    /** A publisher for a factory name the application never mapped. */
    public MqttPublisher named(String name) {
        return publishers.select(MqttFactory.Literal.of(name)).get();
    }
}
