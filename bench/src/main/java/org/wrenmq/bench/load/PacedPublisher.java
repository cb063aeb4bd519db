package org.wrenmq.bench.load;

import io.netty.handler.codec.mqtt.MqttQoS;
import java.util.Arrays;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/**
 * Publishes at a fixed rate, one tick per message interval (a coarser tick would send messages late and add the
 * lateness to the latency). Each payload carries the time the message was due, not the time it was written: a
 * broker that stalls the publisher is charged for the wait (no coordinated omission).
 */
final class PacedPublisher implements ClientConnection.Listener {
    /** Enough that a healthy broker never fills it at the rates used here. */
    private static final int WINDOW = 1000;

    private final String topic;
    private final MqttQoS qos;
    private final int payloadSize;
    private final long nanosPerMessage;
    private final long total;
    private final CompletableFuture<Void> done = new CompletableFuture<>();
    private ClientConnection connection;
    private int window;
    private ScheduledFuture<?> ticker;
    private long start;
    private volatile long sent;
    /** How late each message was written after it was due: the load generator's own share of the latency. */
    private final long[] lateness;

    PacedPublisher(String topic, MqttQoS qos, int payloadSize, int messagesPerSecond, long total) {
        this.topic = topic;
        this.qos = qos;
        this.payloadSize = payloadSize;
        this.nanosPerMessage = 1_000_000_000L / messagesPerSecond;
        this.total = total;
        this.lateness = new long[(int) total];
    }

    /** Starts on the connection's event loop; returns the time the first message is due. */
    long start(ClientConnection connection) {
        this.connection = connection;
        this.window = connection.window(WINDOW);
        this.start = System.nanoTime();
        ticker = connection.eventLoop().scheduleAtFixedRate(this::tick, 0, nanosPerMessage, TimeUnit.NANOSECONDS);
        return start;
    }

    long sent() {
        return sent;
    }

    /** Sorted lateness in nanoseconds of the messages due from {@code fromNanos} on; read after publishing ended. */
    long[] sortedLateness(long fromNanos) {
        long first = Math.max(0, Math.min(sent, (fromNanos - start + nanosPerMessage - 1) / nanosPerMessage));
        long[] copy = Arrays.copyOfRange(lateness, (int) first, (int) sent);
        Arrays.sort(copy);
        return copy;
    }

    CompletableFuture<Void> done() {
        return done;
    }

    @Override
    public void onPublishCompleted() {
        if (sent == total && connection.inflight() == 0) {
            done.complete(null);
        }
    }

    private void tick() {
        long due = Math.min(total, (System.nanoTime() - start) / nanosPerMessage + 1);
        long count = sent;
        boolean wrote = false;
        while (count < due && connection.inflight() < window) {
            long dueAt = start + count * nanosPerMessage;
            lateness[(int) count] = System.nanoTime() - dueAt;
            connection.publish(topic, qos, Payloads.stamped(connection, payloadSize, dueAt));
            count++;
            wrote = true;
        }
        sent = count;
        if (wrote) {
            connection.flush();
        }
        if (count == total) {
            ticker.cancel(false);
            onPublishCompleted();
        }
    }
}
