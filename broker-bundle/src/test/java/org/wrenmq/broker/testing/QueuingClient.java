package org.wrenmq.broker.testing;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/** The messages a client library delivered to its callback, queued for a test to take in order. */
public final class Inbox<M> {
    private final String owner;
    private final BlockingQueue<M> received = new LinkedBlockingQueue<>();

    /** @param owner the client id, to name in failures */
    public Inbox(String owner) {
        this.owner = owner;
    }

    /** Called from the client library's thread. */
    public void add(M message) {
        received.add(message);
    }

    /** The next received message; fails when none arrives in time. */
    public M next() {
        return poll(RawMqttClient.PATIENCE).orElseThrow(
                () -> new AssertionError(owner + " received no message within " + RawMqttClient.PATIENCE));
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
        assertThat(poll(wait)).as("message received by %s", owner).isEmpty();
    }
}
