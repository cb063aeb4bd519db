package org.wrenmq.jca.inbound;

import jakarta.resource.spi.UnavailableException;
import jakarta.resource.spi.endpoint.MessageEndpointFactory;
import jakarta.resource.spi.work.Work;
import jakarta.resource.spi.work.WorkException;
import jakarta.resource.spi.work.WorkManager;
import java.util.Queue;
import java.util.Timer;
import java.util.TimerTask;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.wrenmq.api.MqttMessage;
import org.wrenmq.api.QoS;
import org.wrenmq.jca.broker.InboundSink;

/**
 * Hands a subscription's messages to the bean on the server's {@link WorkManager}, never on more than
 * {@code maxConcurrency} threads (and so never more bean instances) at once: load queues here instead of
 * exhausting the bean pool. The queue is bounded too: for QoS 1/2 by the session's receive maximum (equal to
 * {@code maxConcurrency}), for QoS 0 by {@link #MAX_QUEUED_AT_MOST_ONCE}.
 *
 * <p>A message is acknowledged after the bean returned normally and its transaction committed. On an exception
 * the adapter delivers it again, up to {@code maxRedeliveries} times, then publishes it as a dead letter and
 * acknowledges it. The redeliveries are the adapter's own: MQTT has no negative acknowledgement, and a broker
 * resends an unacknowledged message only on the next connection.
 */
final class DeliveryDispatcher implements InboundSink {

    private static final Logger LOG = LoggerFactory.getLogger(DeliveryDispatcher.class);

    /** QoS 0 messages waiting for a free bean beyond which new ones are dropped (QoS 0 allows it; counted, logged). */
    static final int MAX_QUEUED_AT_MOST_ONCE = 10_000;
    /** Wait before trying again when the server has no thread or no bean instance for a worker. */
    static final long RETRY_DELAY_MILLIS = 1_000;
    /** How long publishing a dead letter may take before the message is left to the broker instead. */
    static final long DEAD_LETTER_TIMEOUT_SECONDS = 30;
    /** How long stopping waits for running deliveries to finish. */
    static final long STOP_TIMEOUT_MILLIS = 30_000;

    private final MessageEndpointFactory endpointFactory;
    private final WorkManager workManager;
    private final Timer timer;
    private final int maxConcurrency;
    private final int maxRedeliveries;
    private final DeadLetters deadLetters;
    private final Function<MqttMessage, CompletionStage<Void>> deadLetterPublisher;

    private final Queue<Pending> queue = new ConcurrentLinkedQueue<>();
    private final AtomicInteger queued = new AtomicInteger();
    private final AtomicInteger workers = new AtomicInteger();
    private final AtomicLong dropped = new AtomicLong();
    private volatile boolean stopped;

    DeliveryDispatcher(MessageEndpointFactory endpointFactory, WorkManager workManager, Timer timer,
                       WrenActivationSpec spec, Function<MqttMessage, CompletionStage<Void>> deadLetterPublisher) {
        this.endpointFactory = endpointFactory;
        this.workManager = workManager;
        this.timer = timer;
        this.maxConcurrency = spec.getMaxConcurrency();
        this.maxRedeliveries = spec.getMaxRedeliveries();
        this.deadLetters = new DeadLetters(spec.getDeadLetterTopic());
        this.deadLetterPublisher = deadLetterPublisher;
    }

    @Override
    public void deliver(MqttMessage message, Acknowledger acknowledger) {
        if (stopped) {
            acknowledger.reject();
            return;
        }
        if (message.qos() == QoS.AT_MOST_ONCE && queued.get() >= MAX_QUEUED_AT_MOST_ONCE) {
            long count = dropped.incrementAndGet();
            if (count == 1 || count % 1000 == 0) {
                LOG.warn("WRENMQ-JCA-201 {} QoS 0 messages dropped: {} are waiting for a bean already", count,
                        MAX_QUEUED_AT_MOST_ONCE);
            }
            acknowledger.accept();
            return;
        }
        queued.incrementAndGet();
        queue.add(new Pending(message, acknowledger));
        startWorkerIfNeeded();
    }

    private void startWorkerIfNeeded() {
        while (!stopped && !queue.isEmpty()) {
            int running = workers.get();
            if (running >= maxConcurrency) {
                return;
            }
            if (workers.compareAndSet(running, running + 1)) {
                try {
                    workManager.scheduleWork(new DeliveryWork());
                } catch (WorkException e) {
                    workers.decrementAndGet();
                    LOG.warn("WRENMQ-JCA-202 the server refused a delivery thread ({}); trying again in {} ms",
                            e.toString(), RETRY_DELAY_MILLIS);
                    retryLater();
                }
                return;
            }
        }
    }

    private void retryLater() {
        try {
            timer.schedule(new TimerTask() {
                @Override
                public void run() {
                    startWorkerIfNeeded();
                }
            }, RETRY_DELAY_MILLIS);
        } catch (IllegalStateException cancelled) {
            // stopping: the queued messages are rejected by stop()
        }
    }

    private Pending poll() {
        Pending pending = queue.poll();
        if (pending != null) {
            queued.decrementAndGet();
        }
        return pending;
    }

    /** Runs the bean on one message until it succeeds, or dead-letters it. */
    private void process(Pending pending, EndpointSession endpoint) {
        Throwable failure = null;
        int deliveries = 0;
        while (deliveries <= maxRedeliveries) {
            if (stopped) {
                pending.acknowledger.reject();
                return;
            }
            deliveries++;
            failure = endpoint.deliver(pending.message);
            if (failure == null) {
                pending.acknowledger.accept();
                return;
            }
            LOG.debug("WRENMQ-JCA-203 delivery {} of {} failed", deliveries, pending.message, failure);
        }
        deadLetter(pending, failure, deliveries);
    }

    private void deadLetter(Pending pending, Throwable failure, int deliveries) {
        MqttMessage letter = deadLetters.letterFor(pending.message, failure, deliveries);
        try {
            deadLetterPublisher.apply(letter).toCompletableFuture().get(DEAD_LETTER_TIMEOUT_SECONDS, TimeUnit.SECONDS);
            LOG.warn("WRENMQ-JCA-204 {} failed {} times, moved to {}: {}", pending.message, deliveries,
                    letter.topic(), failure.toString());
            pending.acknowledger.accept();
        } catch (Exception e) {
            if (e instanceof InterruptedException) {
                Thread.currentThread().interrupt();
            }
            LOG.error("WRENMQ-JCA-205 cannot publish the dead letter for {}; the broker keeps the message",
                    pending.message, e);
            pending.acknowledger.reject();
        }
    }

    /** Stops taking messages, lets running deliveries finish (bounded), hands queued ones back to the broker. */
    void stop() {
        stopped = true;
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(STOP_TIMEOUT_MILLIS);
        while (workers.get() > 0 && System.nanoTime() < deadline) {
            try {
                Thread.sleep(10);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
        }
        for (Pending pending = poll(); pending != null; pending = poll()) {
            pending.acknowledger.reject();
        }
    }

    private record Pending(MqttMessage message, Acknowledger acknowledger) {
    }

    /** A worker: one bean endpoint, draining the queue until it is empty. */
    private final class DeliveryWork implements Work {
        @Override
        public void run() {
            boolean unavailable = false;
            try (EndpointSession endpoint = EndpointSession.open(endpointFactory)) {
                for (Pending pending = poll(); pending != null; pending = stopped ? null : poll()) {
                    process(pending, endpoint);
                }
            } catch (UnavailableException e) {
                unavailable = true;
                LOG.warn("WRENMQ-JCA-206 no bean instance available ({}); trying again in {} ms", e.toString(),
                        RETRY_DELAY_MILLIS);
            } finally {
                workers.decrementAndGet();
            }
            if (unavailable) {
                retryLater();
            } else {
                startWorkerIfNeeded();
            }
        }

        @Override
        public void release() {
            // the current message finishes; stop() ends the loop
        }
    }
}
