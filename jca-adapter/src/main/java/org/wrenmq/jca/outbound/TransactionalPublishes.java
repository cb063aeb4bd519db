package org.wrenmq.jca.outbound;

import jakarta.resource.ResourceException;
import jakarta.resource.spi.LocalTransaction;
import jakarta.resource.spi.LocalTransactionException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.wrenmq.api.MqttMessage;
import org.wrenmq.jca.broker.PublishChannel;

/**
 * A connection's local transaction: between begin and commit, messages are held here; commit publishes them in
 * order and returns once the broker accepted every one (or fails the commit); rollback forgets them.
 */
final class TransactionalPublishes implements LocalTransaction {

    /** How long a commit waits for the broker to accept the transaction's messages. */
    static final long COMMIT_TIMEOUT_SECONDS = 30;

    private final PublishChannel channel;
    private List<MqttMessage> pending;   // null outside a transaction; guarded by this

    TransactionalPublishes(PublishChannel channel) {
        this.channel = channel;
    }

    /** Holds the message when a transaction is open; false when there is none. */
    synchronized boolean buffer(MqttMessage message) {
        if (pending == null) {
            return false;
        }
        pending.add(message);
        return true;
    }

    @Override
    public synchronized void begin() throws ResourceException {
        if (pending != null) {
            throw new LocalTransactionException("a transaction is already open on this connection");
        }
        pending = new ArrayList<>();
    }

    @Override
    public void commit() throws ResourceException {
        List<MqttMessage> messages = take();
        if (messages == null) {
            throw new LocalTransactionException("no transaction open on this connection");
        }
        CompletableFuture<?>[] accepted = messages.stream().map(m -> channel.publish(m).toCompletableFuture())
                .toArray(CompletableFuture[]::new);
        try {
            CompletableFuture.allOf(accepted).get(COMMIT_TIMEOUT_SECONDS, TimeUnit.SECONDS);
        } catch (ExecutionException | TimeoutException e) {
            throw new LocalTransactionException("the broker did not accept every message of the transaction: "
                    + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new LocalTransactionException("interrupted while committing", e);
        }
    }

    @Override
    public void rollback() {
        take();
    }

    void discard() {
        take();
    }

    private synchronized List<MqttMessage> take() {
        List<MqttMessage> messages = pending;
        pending = null;
        return messages;
    }
}
