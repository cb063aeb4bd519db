package org.wrenmq.it.appserver.beans;

import jakarta.annotation.Resource;
import jakarta.ejb.SessionContext;
import jakarta.ejb.Stateless;
import jakarta.ejb.TransactionAttribute;
import jakarta.ejb.TransactionAttributeType;
import jakarta.resource.ResourceException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.wrenmq.api.QoS;
import org.wrenmq.api.jca.MqttConnection;
import org.wrenmq.api.jca.MqttConnectionFactory;

/** An EJB that publishes through the adapter, as an application would. */
@Stateless
public class Publisher {

    @Resource(name = "mqtt/factory")
    private MqttConnectionFactory factory;

    @Resource
    private SessionContext context;

    /** In the caller's transaction (or a new one): the message leaves when it commits. */
    public void publish(String topic, String text) throws ResourceException {
        try (MqttConnection connection = factory.getConnection()) {
            connection.publish(topic, text, QoS.AT_LEAST_ONCE);
        }
    }

    public void publishJson(String topic, Object value) throws ResourceException {
        try (MqttConnection connection = factory.getConnection()) {
            connection.publishJson(topic, value, QoS.AT_LEAST_ONCE);
        }
    }

    /** Publishes, then marks the transaction for rollback: nothing may leave. */
    public void publishAndRollBack(String topic, String text) throws ResourceException {
        publish(topic, text);
        context.setRollbackOnly();
    }

    /** Without a transaction: each message goes at once; returns when the broker accepted all. */
    @TransactionAttribute(TransactionAttributeType.NOT_SUPPORTED)
    public void publishMany(String topicPrefix, int count) throws Exception {
        List<CompletableFuture<Void>> accepted = new ArrayList<>();
        try (MqttConnection connection = factory.getConnection()) {
            for (int i = 0; i < count; i++) {
                accepted.add(connection.publish(topicPrefix + "/" + (i % 10), "m" + i, QoS.AT_LEAST_ONCE)
                        .toCompletableFuture());
            }
            CompletableFuture.allOf(accepted.toArray(CompletableFuture[]::new)).get(60, TimeUnit.SECONDS);
        }
    }

    /** Holds {@code count} pooled connections open at once and publishes one message on each. */
    @TransactionAttribute(TransactionAttributeType.NOT_SUPPORTED)
    public void publishOnSeparateConnections(String topicPrefix, int count) throws Exception {
        List<MqttConnection> open = new ArrayList<>();
        try {
            for (int i = 0; i < count; i++) {
                open.add(factory.getConnection());
            }
            for (int i = 0; i < count; i++) {
                open.get(i).publish(topicPrefix + "/" + i, "c" + i, QoS.AT_LEAST_ONCE).toCompletableFuture()
                        .get(30, TimeUnit.SECONDS);
            }
        } finally {
            open.forEach(MqttConnection::close);
        }
    }
}
