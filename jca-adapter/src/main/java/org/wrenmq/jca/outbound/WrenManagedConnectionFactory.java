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
import jakarta.resource.spi.security.PasswordCredential;
import java.io.PrintWriter;
import java.util.Set;
import javax.security.auth.Subject;
import org.wrenmq.jca.WrenResourceAdapter;
import org.wrenmq.jca.broker.Credentials;

/**
 * Makes the pooled connections behind {@link org.wrenmq.api.jca.MqttConnectionFactory}. Each managed connection
 * has a publish channel of its own: in-VM to the embedded broker, or an MQTT client with a unique client id.
 *
 * <p>The MQTT user a connection logs in as, first found wins: the {@link PasswordCredential} for this factory in
 * the {@link Subject} the server passes (container-managed sign-on: a WildFly/Elytron authentication context, a
 * Payara security map), this factory's {@code userName}/{@code password}, the adapter's.
 */
public class WrenManagedConnectionFactory implements ManagedConnectionFactory, ResourceAdapterAssociation {

    private static final long serialVersionUID = 1L;

    private transient WrenResourceAdapter resourceAdapter;
    private transient PrintWriter logWriter;
    private transient volatile Jsonb jsonb;
    private String userName;
    private String password;

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
        Credentials credentials = credentials(subject);
        return new WrenManagedConnection(this, resourceAdapter.brokerAccess().openPublishChannel(credentials),
                credentials);
    }

    /** A pooled connection serves only a request that would log in as the same user. */
    @Override
    @SuppressWarnings("rawtypes")
    public ManagedConnection matchManagedConnections(Set candidates, Subject subject, ConnectionRequestInfo info) {
        Credentials wanted = credentials(subject);
        for (Object candidate : candidates) {
            if (candidate instanceof WrenManagedConnection c && c.isUsable() && c.credentials().equals(wanted)) {
                return c;
            }
        }
        return null;
    }

    /** The container's credential for this factory, else this factory's properties (NONE: the adapter's). */
    Credentials credentials(Subject subject) {
        if (subject != null) {
            for (PasswordCredential p : subject.getPrivateCredentials(PasswordCredential.class)) {
                if (p.getManagedConnectionFactory() == null || equals(p.getManagedConnectionFactory())) {
                    return Credentials.of(p.getUserName(), p.getPassword() == null ? null
                            : new String(p.getPassword()));
                }
            }
        }
        return Credentials.of(userName, password);
    }

    /** The MQTT user this factory's connections log in as; unset: the adapter's {@code userName} (or none). */
    public String getUserName() { return userName; }
    public void setUserName(String userName) { this.userName = userName; }
    public String getPassword() { return password; }
    public void setPassword(String password) { this.password = password; }

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

    /** Factories of the same adapter with the same user are interchangeable. */
    @Override
    public boolean equals(Object o) {
        return o instanceof WrenManagedConnectionFactory other && other.resourceAdapter == resourceAdapter
                && java.util.Objects.equals(other.userName, userName)
                && java.util.Objects.equals(other.password, password);
    }

    @Override
    public int hashCode() {
        return java.util.Objects.hash(WrenManagedConnectionFactory.class, userName);
    }
}
