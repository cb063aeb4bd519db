package org.wrenmq.jca.outbound;

import jakarta.resource.ResourceException;
import jakarta.resource.spi.ConnectionManager;
import javax.naming.Reference;
import org.wrenmq.api.jca.MqttConnection;
import org.wrenmq.api.jca.MqttConnectionFactory;

/** What {@code @Resource MqttConnectionFactory} injects: asks the server's pool for a connection. */
final class WrenConnectionFactory implements MqttConnectionFactory {

    private static final long serialVersionUID = 1L;

    private final WrenManagedConnectionFactory managedFactory;
    private final ConnectionManager connectionManager;
    private Reference reference;

    WrenConnectionFactory(WrenManagedConnectionFactory managedFactory, ConnectionManager connectionManager) {
        this.managedFactory = managedFactory;
        this.connectionManager = connectionManager;
    }

    @Override
    public MqttConnection getConnection() throws ResourceException {
        Object connection = connectionManager.allocateConnection(managedFactory, null);
        if (connection == null) {
            throw new ResourceException("the connection manager returned no WrenMQ connection");
        }
        return (MqttConnection) connection;
    }

    @Override
    public void setReference(Reference reference) {
        this.reference = reference;
    }

    @Override
    public Reference getReference() {
        return reference;
    }
}
