package org.wrenmq.broker.metrics;

import io.netty.util.concurrent.EventExecutor;
import io.netty.util.concurrent.ScheduledFuture;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.function.Consumer;
import java.util.function.LongSupplier;
import java.util.concurrent.TimeUnit;
import org.wrenmq.api.QoS;
import org.wrenmq.broker.message.Publication;

/**
 * mosquitto's {@code $SYS/broker/...} tree: every {@code sys_interval} seconds the counters are published as
 * retained QoS 0 messages, so {@code mosquitto_sub -t '$SYS/#' -v} shows them. Topics under {@code $SYS} are
 * not matched by a leading wildcard [MQTT-4.7.2-1] and are not written to the store.
 */
public final class SysTopics {
    public static final String PREFIX = "$SYS/broker/";

    /** The broker-wide counts this tree shows besides the metrics' counters. */
    public record Counts(LongSupplier sessions, LongSupplier subscriptions, LongSupplier retainedMessages) {
    }

    private final BrokerMetrics metrics;
    private final Counts counts;
    private final Consumer<Publication> router;
    private final String version;
    private final long startedAtMillis = System.currentTimeMillis();
    private ScheduledFuture<?> task;

    /** @param router publishes each value as a retained message (the broker's router) */
    public SysTopics(BrokerMetrics metrics, Counts counts, Consumer<Publication> router, String version) {
        this.metrics = metrics;
        this.counts = counts;
        this.router = router;
        this.version = version;
    }

    public void start(EventExecutor executor, int intervalSeconds) {
        publish("version", "WrenMQ " + version);
        task = executor.scheduleAtFixedRate(this::publishCounters, 0, intervalSeconds, TimeUnit.SECONDS);
    }

    public void stop() {
        if (task != null) {
            task.cancel(false);
        }
    }

    private void publishCounters() {
        publish("uptime", (System.currentTimeMillis() - startedAtMillis) / 1000 + " seconds");
        publish("clients/connected", String.valueOf(metrics.connectionsCurrent.sum()));
        publish("clients/total", String.valueOf(counts.sessions().getAsLong()));
        publish("subscriptions/count", String.valueOf(counts.subscriptions().getAsLong()));
        publish("retained messages/count", String.valueOf(counts.retainedMessages().getAsLong()));
        for (Map.Entry<String, Long> e : metrics.snapshot().entrySet()) {
            publish(e.getKey().replace('.', '/'), String.valueOf(e.getValue()));
        }
    }

    private void publish(String topic, String value) {
        router.accept(Publication.simple(PREFIX + topic, value.getBytes(StandardCharsets.UTF_8),
                QoS.AT_MOST_ONCE, true, null));
    }
}
