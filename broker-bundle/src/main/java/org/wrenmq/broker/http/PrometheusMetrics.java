package org.wrenmq.broker.http;

import io.prometheus.metrics.core.metrics.GaugeWithCallback;
import io.prometheus.metrics.core.metrics.Histogram;
import io.prometheus.metrics.expositionformats.PrometheusTextFormatWriter;
import io.prometheus.metrics.instrumentation.jvm.JvmBufferPoolMetrics;
import io.prometheus.metrics.instrumentation.jvm.JvmClassLoadingMetrics;
import io.prometheus.metrics.instrumentation.jvm.JvmCompilationMetrics;
import io.prometheus.metrics.instrumentation.jvm.JvmGarbageCollectorMetrics;
import io.prometheus.metrics.instrumentation.jvm.JvmMemoryMetrics;
import io.prometheus.metrics.instrumentation.jvm.JvmNativeMemoryMetrics;
import io.prometheus.metrics.instrumentation.jvm.JvmRuntimeInfoMetric;
import io.prometheus.metrics.instrumentation.jvm.JvmThreadsMetrics;
import io.prometheus.metrics.instrumentation.jvm.ProcessMetrics;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import io.prometheus.metrics.model.snapshots.Unit;
import java.io.IOException;
import java.io.OutputStream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.wrenmq.api.MqttBroker;
import org.wrenmq.broker.metrics.DeliveryLatency;
import org.wrenmq.broker.store.MessageStore;

/**
 * The {@code /metrics} page: the broker's metric families and the JVM's own ({@code jvm_...},
 * {@code process_...}) in the Prometheus text format, written by the Prometheus Java client. Each broker has its
 * own registry (never the client's static default one), so brokers in one JVM and restarts under OSGi do not
 * see each other's metrics.
 */
final class PrometheusMetrics {
    private static final Logger LOG = LoggerFactory.getLogger(PrometheusMetrics.class);

    private final PrometheusRegistry registry = new PrometheusRegistry();
    private final PrometheusTextFormatWriter writer = PrometheusTextFormatWriter.create();
    private final BrokerMetricFamilies broker;

    PrometheusMetrics(MqttBroker broker, MessageStore store, DeliveryLatency latency) {
        this.broker = new BrokerMetricFamilies(broker);
        this.broker.registerWith(registry);
        if (store.durable()) {
            registerStoreCommitTimes(store);
            GaugeWithCallback.builder().name("wrenmq_store_size_bytes").unit(Unit.BYTES)
                    .help("Size of the store file on disk.").callback(cb -> cb.call(store.sizeBytes()))
                    .register(registry);
        }
        registerDeliveryLatency(latency);
        registerJvmMetrics();
    }

    /**
     * From reading a PUBLISH to writing it to a subscriber's connection, for one incoming message in
     * {@link DeliveryLatency#SAMPLE_EVERY}: buckets from 50 µs (an idle broker) to 10 s (a message that waited in a
     * queue for a slow or reconnecting subscriber).
     */
    private void registerDeliveryLatency(DeliveryLatency latency) {
        Histogram deliveries = Histogram.builder().name("wrenmq_delivery_latency_seconds").unit(Unit.SECONDS)
                .help("In-broker latency of sampled deliveries (PUBLISH read to PUBLISH written), seconds.")
                .classicOnly().withoutExemplars()
                .classicUpperBounds(0.00005, 0.0001, 0.00025, 0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1,
                        0.25, 0.5, 1, 2.5, 5, 10)
                .register(registry);
        latency.observeWith(nanos -> deliveries.observe(Unit.nanosToSeconds(nanos)));
    }

    /**
     * How long the store's group commits take, fsync included: what a QoS 1/2 acknowledgement waits for. Classic
     * buckets from 100 µs (page cache) to 2.5 s (a disk in trouble); no exemplars, which would start the client's
     * scheduler thread.
     */
    private void registerStoreCommitTimes(MessageStore store) {
        Histogram commits = Histogram.builder().name("wrenmq_store_commit_duration_seconds").unit(Unit.SECONDS)
                .help("Time of each store commit (and fsync), seconds.").classicOnly().withoutExemplars()
                .classicUpperBounds(0.0001, 0.00025, 0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25,
                        0.5, 1, 2.5)
                .register(registry);
        store.observeCommits(nanos -> commits.observe(Unit.nanosToSeconds(nanos)));
    }

    String contentType() {
        return writer.getContentType();
    }

    /** Writes one scrape. @throws IllegalStateException when the broker is not running */
    synchronized void write(OutputStream out) throws IOException {
        broker.refresh();
        writer.write(out, registry.scrape());
    }

    /**
     * What the client's {@code JvmMetrics} registers, but for the memory pool allocation counters: those add GC
     * notification listeners to the platform MBeans and a library-wide scheduler thread, which nothing removes
     * when the broker stops (an OSGi bundle restart would leak them). The JVM metrics need
     * {@code com.sun.management}, which an OSGi framework (Karaf) may not export: the broker bundle imports them
     * optionally and serves its own metrics without them.
     */
    private void registerJvmMetrics() {
        try {
            JvmThreadsMetrics.builder().register(registry);
            JvmBufferPoolMetrics.builder().register(registry);
            JvmClassLoadingMetrics.builder().register(registry);
            JvmCompilationMetrics.builder().register(registry);
            JvmGarbageCollectorMetrics.builder().register(registry);
            JvmMemoryMetrics.builder().register(registry);
            JvmNativeMemoryMetrics.builder().register(registry);
            JvmRuntimeInfoMetric.builder().register(registry);
            ProcessMetrics.builder().register(registry);
        } catch (NoClassDefFoundError e) {
            LOG.info("JVM metrics are not served: {} is not available", e.getMessage());
        }
    }
}
