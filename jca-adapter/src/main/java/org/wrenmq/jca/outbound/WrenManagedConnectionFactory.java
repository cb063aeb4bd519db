package org.wrenmq.jca.outbound;

import jakarta.json.bind.Jsonb;
import jakarta.json.bind.JsonbBuilder;
import jakarta.resource.ResourceException;
import jakarta.resource.spi.ConnectionManager;
import jakarta.resource.spi.ConnectionRequestInfo;
import jakarta.resource.spi.ManagedConnection;
import jakarta.resource.spi.ManagedConnectionFactory;
import jakarta.resource.spi.ResourceAdapter;
import jakarta.resource.spi.ResourceAdapterAssociation;
import java.io.PrintWriter;
import java.util.Set;
import javax.security.auth.Subject;
import org.wrenmq.jca.WrenResourceAdapter;

/**
 * Makes the pooled connections behind {@link org.wrenmq.api.jca.MqttConnectionFactory}. Each managed connection
 * has a publish channel of its own: in-VM to the embedded broker, or an MQTT client with a unique client id.
 */
public class WrenManagedConnectionFactory implements ManagedConnectionFactory, ResourceAdapterAssociation {

    private static final long serialVersionUID = 1L;

    private transient WrenResourceAdapter resourceAdapter;
    private transient PrintWriter logWriter;
    private transient volatile Jsonb jsonb;

    @Override
    public Object createConnectionFactory(ConnectionManager connectionManager) {
        return new WrenConnectionFactory(this, connectionManager);
    }

    /** Outside a server's pool (plain Java SE use): every connection is a new managed connection. */
    @Override
    public Object createConnectionFactory() {
        return new WrenConnectionFactory(this, new UnpooledConnectionManager());
    }

    @Override
    public ManagedConnection createManagedConnection(Subject subject, ConnectionRequestInfo info)
            throws ResourceException {
        if (resourceAdapter == null) {
            throw new ResourceException("the connection factory is not associated with the WrenMQ resource adapter");
        }
        return new WrenManagedConnection(this, resourceAdapter.brokerAccess().openPublishChannel());
    }

    @Override
    @SuppressWarnings("rawtypes")
    public ManagedConnection matchManagedConnections(Set candidates, Subject subject, ConnectionRequestInfo info) {
        for (Object candidate : candidates) {
            if (candidate instanceof WrenManagedConnection && ((WrenManagedConnection) candidate).isUsable()) {
                return (ManagedConnection) candidate;
            }
        }
        return null;
    }

    /** JSON-B of the server, made once: it is thread safe and costly to create. */
    Jsonb jsonb() {
        Jsonb current = jsonb;
        if (current == null) {
            synchronized (this) {
                if (jsonb == null) {
                    jsonb = JsonbBuilder.create();
                }
                current = jsonb;
            }
        }
        return current;
    }

    @Override
    public ResourceAdapter getResourceAdapter() {
        return resourceAdapter;
    }

    @Override
    public void setResourceAdapter(ResourceAdapter resourceAdapter) {
        this.resourceAdapter = (WrenResourceAdapter) resourceAdapter;
    }

    @Override
    public void setLogWriter(PrintWriter out) {
        this.logWriter = out;
    }

    @Override
    public PrintWriter getLogWriter() {
        return logWriter;
    }

    /** No properties of its own: factories of the same adapter are interchangeable. */
    @Override
    public boolean equals(Object o) {
        return o instanceof WrenManagedConnectionFactory
                && ((WrenManagedConnectionFactory) o).resourceAdapter == resourceAdapter;
    }

    @Override
    public int hashCode() {
        return WrenManagedConnectionFactory.class.hashCode();
    }
}
