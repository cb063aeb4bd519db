package org.wrenmq.jca.outbound;

import jakarta.resource.NotSupportedException;
import jakarta.resource.ResourceException;
import jakarta.resource.spi.ConnectionEvent;
import jakarta.resource.spi.ConnectionEventListener;
import jakarta.resource.spi.ConnectionRequestInfo;
import jakarta.resource.spi.LocalTransaction;
import jakarta.resource.spi.ManagedConnection;
import jakarta.resource.spi.ManagedConnectionMetaData;
import java.io.PrintWriter;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import javax.security.auth.Subject;
import javax.transaction.xa.XAResource;
import org.wrenmq.api.MqttMessage;
import org.wrenmq.jca.broker.Credentials;
import org.wrenmq.jca.broker.PublishChannel;

/**
 * A pooled connection: one publish channel, the handles on it, and the messages of the transaction it is
 * enlisted in. Transactions are local ones ({@link TransactionalPublishes}): MQTT has no prepare phase, so in an
 * XA transaction the server runs the adapter as its last resource.
 */
final class WrenManagedConnection implements ManagedConnection {

    private final WrenManagedConnectionFactory factory;
    private final PublishChannel channel;
    /** Who the channel logged in as: a pooled connection is reused only for the same user. */
    private final Credentials credentials;
    private final TransactionalPublishes transaction;
    private final Set<WrenConnection> handles = ConcurrentHashMap.newKeySet();
    private final List<ConnectionEventListener> listeners = new CopyOnWriteArrayList<>();
    private volatile PrintWriter logWriter;

    WrenManagedConnection(WrenManagedConnectionFactory factory, PublishChannel channel, Credentials credentials) {
        this.factory = factory;
        this.channel = channel;
        this.credentials = credentials;
        this.transaction = new TransactionalPublishes(channel);
    }

    WrenManagedConnectionFactory factory() {
        return factory;
    }

    Credentials credentials() {
        return credentials;
    }

    /**
     * Inside a transaction the message waits for the commit, and the stage completes at once (waiting on it
     * there could never end); a refusal by the broker then fails the commit. Outside, it goes straight out.
     */
    CompletionStage<Void> publish(MqttMessage message) {
        if (transaction.buffer(message)) {
            return CompletableFuture.completedFuture(null);
        }
        return channel.publish(message).whenComplete((ok, failure) -> {
            if (failure != null && !channel.isUsable()) {
                fire(new ConnectionEvent(this, ConnectionEvent.CONNECTION_ERROR_OCCURRED,
                        failure instanceof Exception ? (Exception) failure : new Exception(failure)));
            }
        });
    }

    boolean isUsable() {
        return channel.isUsable();
    }

    void handleClosed(WrenConnection handle) {
        handles.remove(handle);
        ConnectionEvent event = new ConnectionEvent(this, ConnectionEvent.CONNECTION_CLOSED);
        event.setConnectionHandle(handle);
        fire(event);
    }

    private void fire(ConnectionEvent event) {
        for (ConnectionEventListener listener : listeners) {
            switch (event.getId()) {
                case ConnectionEvent.CONNECTION_CLOSED -> listener.connectionClosed(event);
                case ConnectionEvent.CONNECTION_ERROR_OCCURRED -> listener.connectionErrorOccurred(event);
                default -> throw new IllegalArgumentException("unexpected event " + event.getId());
            }
        }
    }

    @Override
    public Object getConnection(Subject subject, ConnectionRequestInfo info) {
        WrenConnection handle = new WrenConnection(this);
        handles.add(handle);
        return handle;
    }

    @Override
    public void associateConnection(Object connection) throws ResourceException {
        if (!(connection instanceof WrenConnection)) {
            throw new ResourceException("not a WrenMQ connection handle: " + connection);
        }
        WrenConnection handle = (WrenConnection) connection;
        handle.moveTo(this);
        handles.add(handle);
    }

    @Override
    public void cleanup() {
        handles.forEach(WrenConnection::invalidate);
        handles.clear();
        transaction.discard();
    }

    @Override
    public void destroy() {
        cleanup();
        channel.close();
    }

    @Override
    public LocalTransaction getLocalTransaction() {
        return transaction;
    }

    @Override
    public XAResource getXAResource() throws ResourceException {
        throw new NotSupportedException("MQTT has no two-phase commit: WrenMQ supports local transactions only");
    }

    @Override
    public void addConnectionEventListener(ConnectionEventListener listener) {
        listeners.add(listener);
    }

    @Override
    public void removeConnectionEventListener(ConnectionEventListener listener) {
        listeners.remove(listener);
    }

    @Override
    public ManagedConnectionMetaData getMetaData() {
        return new ManagedConnectionMetaData() {
            @Override
            public String getEISProductName() {
                return "WrenMQ";
            }

            @Override
            public String getEISProductVersion() {
                String version = WrenManagedConnection.class.getPackage().getImplementationVersion();
                return version == null ? "unknown" : version;
            }

            @Override
            public int getMaxConnections() {
                return 0;
            }

            @Override
            public String getUserName() {
                return credentials.isNone() ? "" : credentials.userName();
            }
        };
    }

    @Override
    public void setLogWriter(PrintWriter out) {
        this.logWriter = out;
    }

    @Override
    public PrintWriter getLogWriter() {
        return logWriter;
    }
}
