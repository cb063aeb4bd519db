package org.wrenmq.bench.load;

import io.netty.handler.codec.mqtt.MqttQoS;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * Publishes as fast as the broker takes it: writes until the socket buffer is above its high-water mark or the
 * QoS 1/2 window is full, then waits for writability or acknowledgements. Stops at a message count or a deadline,
 * whichever comes first; {@link #done()} completes when the last publish is acknowledged.
 */
final class Publisher implements ClientConnection.Listener {
    private final String topic;
    private final MqttQoS qos;
    private final int payloadSize;
    private int window;
    private final long maxMessages;
    private final CompletableFuture<Void> done = new CompletableFuture<>();
    private ClientConnection connection;
    private volatile long sent;
    private boolean stopped;

    /** @param window most QoS 1/2 publishes awaiting acknowledgement (ignored for QoS 0) */
    Publisher(String topic, MqttQoS qos, int payloadSize, int window, long maxMessages) {
        this.topic = topic;
        this.qos = qos;
        this.payloadSize = payloadSize;
        this.window = qos == MqttQoS.AT_MOST_ONCE ? Integer.MAX_VALUE : window;
        this.maxMessages = maxMessages;
    }

    void start(ClientConnection connection, long durationNanos) {
        this.connection = connection;
        this.window = connection.window(window);
        connection.eventLoop().schedule(this::stop, durationNanos, TimeUnit.NANOSECONDS);
        connection.eventLoop().execute(this::pump);
    }

    long sent() {
        return sent;
    }

    CompletableFuture<Void> done() {
        return done;
    }

    @Override
    public void onWritable() {
        pump();
    }

    @Override
    public void onPublishCompleted() {
        if (stopped || sent >= maxMessages) {
            finishIfDrained();
        } else {
            pump();
        }
    }

    private void stop() {
        stopped = true;
        finishIfDrained();
    }

    private void pump() {
        long count = sent;
        boolean wrote = false;
        while (!stopped && count < maxMessages && connection.isWritable() && connection.inflight() < window) {
            connection.publish(topic, qos, Payloads.stamped(connection, payloadSize, System.nanoTime()));
            count++;
            wrote = true;
        }
        sent = count;
        if (wrote) {
            connection.flush();
        }
        if (count >= maxMessages) {
            finishIfDrained();
        }
    }

    private void finishIfDrained() {
        if (connection.inflight() == 0) {
            done.complete(null);
        }
    }
}
