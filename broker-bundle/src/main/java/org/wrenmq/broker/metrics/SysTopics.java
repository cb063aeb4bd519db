package org.wrenmq.broker.metrics;

import io.netty.util.concurrent.EventExecutor;
import io.netty.util.concurrent.ScheduledFuture;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;
import java.util.function.Supplier;
import java.util.function.LongSupplier;
import java.util.concurrent.TimeUnit;
import org.wrenmq.api.QoS;
import org.wrenmq.broker.message.Publication;

/**
 * mosquitto's {@code $SYS/broker/...} tree: every {@code sys_interval} seconds the counters are published as
 * retained QoS 0 messages, so {@code mosquitto_sub -t '$SYS/#' -v} shows them. Topics under {@code $SYS} are
 * not matched by a leading wildcard [MQTT-4.7.2-1] and are not written to the store. mosquitto's names where the
 * meaning matches (clients, load averages, store, publish, heap: docs/operations.md has the list), plus every
 * counter of {@link BrokerMetrics} under its own name.
 */
public final class SysTopics {
    public static final String PREFIX = "$SYS/broker/";

    /** The broker-wide counts this tree shows besides the metrics' counters. */
    public record Counts(LongSupplier sessions, LongSupplier subscriptions, LongSupplier retainedMessages,
                         LongSupplier queuedMessages, LongSupplier storedPayloadBytes) {
    }

    private final BrokerMetrics metrics;
    private final Counts counts;
    private final Consumer<Publication> router;
    private final String version;
    private final long startedAtMillis = System.currentTimeMillis();
    private final LoadAverages loads = new LoadAverages();
    private long lastUpdateNanos;
    private long clientsMaximum;
    private long heapMaximum;
    private ScheduledFuture<?> task;
    /** More values published with each update, by topic under {@link #PREFIX} (a cluster node's figures). */
    private final List<Supplier<Map<String, String>>> sources = new CopyOnWriteArrayList<>();

    /** @param router publishes each value as a retained message (the broker's router) */
    public SysTopics(BrokerMetrics metrics, Counts counts, Consumer<Publication> router, String version) {
        this.metrics = metrics;
        this.counts = counts;
        this.router = router;
        this.version = version;
    }

    /** Publishes {@code source}'s values (topic under {@link #PREFIX}, value) with every update too. */
    public void addSource(Supplier<Map<String, String>> source) {
        sources.add(source);
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
        Map<String, Long> counters = metrics.snapshot();
        long connected = metrics.connectionsCurrent.sum();
        long sessions = counts.sessions().getAsLong();
        long retained = counts.retainedMessages().getAsLong();
        clientsMaximum = Math.max(clientsMaximum, connected);
        long heap = ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
        heapMaximum = Math.max(heapMaximum, heap);
        long dropped = counters.entrySet().stream().filter(e -> e.getKey().startsWith("messages.dropped."))
                .mapToLong(Map.Entry::getValue).sum();

        publish("uptime", (System.currentTimeMillis() - startedAtMillis) / 1000 + " seconds");
        publish("clients/connected", String.valueOf(connected));
        publish("clients/total", String.valueOf(sessions));
        publish("clients/disconnected", String.valueOf(Math.max(0, sessions - connected)));
        publish("clients/maximum", String.valueOf(clientsMaximum));
        publish("clients/expired", String.valueOf(counters.get("sessions.expired")));
        publish("subscriptions/count", String.valueOf(counts.subscriptions().getAsLong()));
        publish("retained messages/count", String.valueOf(retained));
        String stored = String.valueOf(retained + counts.queuedMessages().getAsLong());
        publish("store/messages/count", stored);
        publish("messages/stored", stored);
        publish("store/messages/bytes", String.valueOf(counts.storedPayloadBytes().getAsLong()));
        publish("publish/messages/received", String.valueOf(counters.get("messages.received")));
        publish("publish/messages/sent", String.valueOf(counters.get("messages.sent")));
        publish("publish/messages/dropped", String.valueOf(dropped));
        publish("heap/current", String.valueOf(heap));
        publish("heap/maximum", String.valueOf(heapMaximum));
        for (Map.Entry<String, Long> e : counters.entrySet()) {
            publish(e.getKey().replace('.', '/'), String.valueOf(e.getValue()));
        }
        for (Supplier<Map<String, String>> source : sources) {
            source.get().forEach(this::publish);
        }

        long now = System.nanoTime();
        double elapsed = lastUpdateNanos == 0 ? 0 : (now - lastUpdateNanos) / 1e9;
        lastUpdateNanos = now;
        loads.update("load/messages/received", counters.get("messages.received"), elapsed, this::publish);
        loads.update("load/messages/sent", counters.get("messages.sent"), elapsed, this::publish);
        loads.update("load/publish/received", counters.get("messages.received"), elapsed, this::publish);
        loads.update("load/publish/sent", counters.get("messages.sent"), elapsed, this::publish);
        loads.update("load/publish/dropped", dropped, elapsed, this::publish);
        loads.update("load/bytes/received", counters.get("bytes.received"), elapsed, this::publish);
        loads.update("load/bytes/sent", counters.get("bytes.sent"), elapsed, this::publish);
        loads.update("load/connections", counters.get("connections.connect_packets"), elapsed, this::publish);
        // every socket accepted, whether a limit closed it at once (mosquitto counts at accept() too)
        loads.update("load/sockets", counters.get("connections.accepted")
                + counters.get("connections.refused.max_connections") + counters.get("connections.refused.max_pending"),
                elapsed, this::publish);
    }

    private void publish(String topic, String value) {
        router.accept(Publication.simple(PREFIX + topic, value.getBytes(StandardCharsets.UTF_8),
                QoS.AT_MOST_ONCE, true, null));
    }
}
