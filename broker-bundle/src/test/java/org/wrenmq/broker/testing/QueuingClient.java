package org.wrenmq.broker.testing;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * A client library's client that queues the messages its callback delivers ({@code M}), for a test to take in
 * order. The Paho clients of MQTT 3.1.1 and MQTT 5 are different libraries; this is what their wrappers share.
 */
public abstract class QueuingClient<M> implements AutoCloseable {
    private final String clientId;
    private final BlockingQueue<M> received = new LinkedBlockingQueue<>();

    protected QueuingClient(String clientId) {
        this.clientId = clientId;
    }

    /** Queues a message; called from the client library's thread. */
    protected void deliver(M message) {
        received.add(message);
    }

    /** The next received message; fails when none arrives in time. */
    public M next() {
        return poll(RawMqttClient.PATIENCE).orElseThrow(
                () -> new AssertionError(clientId + " received no message within " + RawMqttClient.PATIENCE));
    }

    public List<M> next(int count) {
        List<M> messages = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            messages.add(next());
        }
        return messages;
    }

    public Optional<M> poll(Duration wait) {
        try {
            return Optional.ofNullable(received.poll(wait.toMillis(), TimeUnit.MILLISECONDS));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    public void expectNothingFor(Duration wait) {
        assertThat(poll(wait)).as("message received by %s", clientId).isEmpty();
    }
}
