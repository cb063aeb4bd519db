package org.wrenmq.broker.metrics;

import io.netty.util.concurrent.EventExecutor;
import io.netty.util.concurrent.ScheduledFuture;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.wrenmq.api.QoS;
import org.wrenmq.broker.BrokerContext;
import org.wrenmq.broker.message.Publication;

/**
 * mosquitto's {@code $SYS/broker/...} tree: every {@code sys_interval} seconds the counters are published as
 * retained QoS 0 messages, so {@code mosquitto_sub -t '$SYS/#' -v} shows them. Topics under {@code $SYS} are
 * not matched by a leading wildcard [MQTT-4.7.2-1] and are not written to the store.
 */
public final class SysTopics {
    public static final String PREFIX = "$SYS/broker/";

    private final BrokerContext broker;
    private final String version;
    private final long startedAtMillis = System.currentTimeMillis();
    private ScheduledFuture<?> task;

    public SysTopics(BrokerContext broker, String version) {
        this.broker = broker;
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
        publish("clients/connected", String.valueOf(broker.metrics().connectionsCurrent.sum()));
        publish("clients/total", String.valueOf(broker.sessions().size()));
        publish("subscriptions/count", String.valueOf(subscriptionCount()));
        publish("retained messages/count", String.valueOf(broker.retained().size()));
        for (Map.Entry<String, Long> e : broker.metrics().snapshot().entrySet()) {
            publish(e.getKey().replace('.', '/'), String.valueOf(e.getValue()));
        }
    }

    private long subscriptionCount() {
        return broker.sessions().all().stream().mapToLong(s -> s.subscriptions().size()).sum();
    }

    private void publish(String topic, String value) {
        broker.router().publish(Publication.simple(PREFIX + topic, value.getBytes(StandardCharsets.UTF_8),
                QoS.AT_MOST_ONCE, true, null));
    }
}
