package org.wrenmq.broker.http;

import io.prometheus.metrics.core.metrics.CounterWithCallback;
import io.prometheus.metrics.core.metrics.GaugeWithCallback;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import io.prometheus.metrics.model.snapshots.Unit;
import java.util.List;
import java.util.Map;
import java.util.function.DoubleConsumer;
import org.wrenmq.api.MqttBroker;
import org.wrenmq.api.MqttBroker.ClientInfo;

/**
 * The broker's own figures as Prometheus metric families. Nothing is counted here: each family reads the
 * broker's counters ({@link MqttBroker#counters()}, the names {@code $SYS/broker/...} also shows) or its session
 * list, taken once per scrape by {@link #refresh()} so that one scrape is one consistent picture.
 *
 * <p>Names follow Prometheus conventions: {@code wrenmq_} prefix, base units, {@code _total} for counters (the
 * client library appends it), one family with a {@code reason} or {@code qos} label where the broker has one
 * counter per case.
 */
final class BrokerMetricFamilies {
    private final MqttBroker broker;
    private volatile Map<String, Long> counters = Map.of();
    private volatile List<ClientInfo> clients = List.of();

    BrokerMetricFamilies(MqttBroker broker) {
        this.broker = broker;
    }

    /** Takes the figures the next scrape shows. */
    void refresh() {
        counters = broker.counters();
        clients = broker.clients();
    }

    void registerWith(PrometheusRegistry registry) {
        counter(registry, "wrenmq_connections_accepted", "Client connections accepted.", null,
                "connections.accepted");
        counter(registry, "wrenmq_connections_refused", "Client connections refused, by reason.", "reason",
                "max_connections", "connections.refused.max_connections",
                "not_authorized", "connections.refused.auth",
                "max_pending_connections", "connections.refused.max_pending");
        counter(registry, "wrenmq_connections_closed", "Client connections closed by the broker, by reason.",
                "reason",
                "protocol_error", "connections.closed.protocol_error",
                "keepalive_timeout", "connections.closed.keepalive",
                "connect_timeout", "connections.closed.connect_timeout",
                "internal_error", "connections.closed.internal_error");
        counter(registry, "wrenmq_messages_received", "PUBLISH packets and in-VM messages taken in, by QoS.",
                "qos", "0", "messages.received.qos0", "1", "messages.received.qos1", "2", "messages.received.qos2");
        counter(registry, "wrenmq_messages_sent", "PUBLISH packets sent to clients, by QoS.",
                "qos", "0", "messages.sent.qos0", "1", "messages.sent.qos1", "2", "messages.sent.qos2");
        counter(registry, "wrenmq_messages_dropped", "Deliveries dropped instead of sent, by reason.", "reason",
                "queue_full", "messages.dropped.queue_full",
                "qos0_offline", "messages.dropped.qos0_offline",
                "expired", "messages.dropped.expired",
                "too_large_for_client", "messages.dropped.too_large_for_client",
                "acl", "acl.denied.delivery");
        counter(registry, "wrenmq_messages_refused", "Incoming messages refused, by reason.", "reason",
                "message_size_limit", "messages.refused.message_size_limit",
                "max_qos", "messages.refused.max_qos",
                "sys_topic", "messages.refused.sys_topic");
        counter(registry, "wrenmq_acl_denied", "What the acl_file denied, by action.", "action",
                "subscribe", "acl.denied.subscribe",
                "publish", "acl.denied.publish",
                "delivery", "acl.denied.delivery",
                "will", "acl.denied.will");
        counter(registry, "wrenmq_tls_handshakes_failed", "TLS handshakes that did not finish, by reason.", "reason",
                "timeout", "tls.handshakes.timed_out",
                "error", "tls.handshakes.failed");
        counter(registry, "wrenmq_wills_published", "Will messages published.", null, "wills.published");
        counter(registry, "wrenmq_sessions_expired", "Persistent sessions ended by their expiry interval.", null,
                "sessions.expired");
        CounterWithCallback.builder().name("wrenmq_received_bytes").unit(Unit.BYTES)
                .help("Bytes read from client connections.")
                .callback(cb -> cb.call(value("bytes.received"))).register(registry);
        CounterWithCallback.builder().name("wrenmq_sent_bytes").unit(Unit.BYTES)
                .help("Bytes written to client connections.")
                .callback(cb -> cb.call(value("bytes.sent"))).register(registry);

        gauge(registry, "wrenmq_clients_connected", "Client connections open now.", "connections.current");
        gauge(registry, "wrenmq_subscriptions", "Subscriptions of all sessions.", "subscriptions");
        gauge(registry, "wrenmq_retained_messages", "Retained messages.", "retained.messages");
        gauge(registry, "wrenmq_messages_queued", "Messages queued for sessions, against "
                + "max_queued_messages_total.", "messages.queued");
        bridgeFamilies(registry);
        clusterFamilies(registry);
        GaugeWithCallback.builder().name("wrenmq_sessions")
                .help("Sessions the broker holds, by whether their client is connected and the session persists.")
                .labelNames("connected", "persistent")
                .callback(cb -> {
                    long[] counts = new long[4];
                    for (ClientInfo c : clients) {
                        counts[(c.connected() ? 2 : 0) + (c.persistent() ? 1 : 0)]++;
                    }
                    for (int i = 0; i < counts.length; i++) {
                        cb.call(counts[i], String.valueOf(i >= 2), String.valueOf(i % 2 == 1));
                    }
                }).register(registry);
    }

    /** Per bridge ({@code connection} block), from the counters named {@code bridge.NAME.WHAT}. */
    private void bridgeFamilies(PrometheusRegistry registry) {
        GaugeWithCallback.builder().name("wrenmq_bridge_connected").labelNames("bridge")
                .help("1 while the bridge is connected to its remote broker, else 0.")
                .callback(cb -> perBridge("connected", cb::call)).register(registry);
        GaugeWithCallback.builder().name("wrenmq_bridge_messages_waiting").labelNames("bridge")
                .help("Out messages waiting for the remote: in flight or queued in the bridge's local session.")
                .callback(cb -> perBridge("messages.waiting", cb::call)).register(registry);
        CounterWithCallback.builder().name("wrenmq_bridge_messages_forwarded").labelNames("bridge")
                .help("Messages the bridge sent to its remote broker.")
                .callback(cb -> perBridge("messages.forwarded", cb::call)).register(registry);
        CounterWithCallback.builder().name("wrenmq_bridge_messages_received").labelNames("bridge")
                .help("Messages the bridge received from its remote broker and published here.")
                .callback(cb -> perBridge("messages.received", cb::call)).register(registry);
        CounterWithCallback.builder().name("wrenmq_bridge_messages_dropped").labelNames("bridge", "reason")
                .help("Out messages the bridge dropped, by reason.")
                .callback(cb -> {
                    perBridge("messages.dropped.qos0_offline", (v, bridge) -> cb.call(v, bridge, "qos0_offline"));
                    perBridge("messages.dropped.too_large", (v, bridge) -> cb.call(v, bridge, "too_large"));
                }).register(registry);
    }

    /**
     * A cluster node's figures, from the counters named {@code cluster.*}; a broker without {@code cluster_name}
     * has none, and a family without a sample is left out of the scrape.
     */
    private void clusterFamilies(PrometheusRegistry registry) {
        GaugeWithCallback.builder().name("wrenmq_cluster_nodes")
                .help("Nodes of the cluster this node sees, itself included.")
                .callback(cb -> ifCounted("cluster.members", cb::call)).register(registry);
        CounterWithCallback.builder().name("wrenmq_cluster_messages_forwarded")
                .help("Messages this node sent to other nodes: one copy per node with a matching subscriber.")
                .callback(cb -> ifCounted("cluster.messages.forwarded", cb::call)).register(registry);
        CounterWithCallback.builder().name("wrenmq_cluster_messages_received")
                .help("Messages other nodes forwarded to this node.")
                .callback(cb -> ifCounted("cluster.messages.received", cb::call)).register(registry);
        CounterWithCallback.builder().name("wrenmq_cluster_messages_unreadable")
                .help("Forwarded messages this node could not read (a node of another version): dropped.")
                .callback(cb -> ifCounted("cluster.messages.unreadable", cb::call)).register(registry);
        GaugeWithCallback.builder().name("wrenmq_cluster_remote_filters")
                .help("Topic filters of other nodes' subscribers known on this node.")
                .callback(cb -> ifCounted("cluster.subscriptions.remote_filters", cb::call)).register(registry);
        CounterWithCallback.builder().name("wrenmq_cluster_sessions_taken_over")
                .help("Sessions of this node taken over by a connection with the same client id on another node.")
                .callback(cb -> ifCounted("cluster.sessions.taken_over_remotely", cb::call)).register(registry);
        CounterWithCallback.builder().name("wrenmq_cluster_sessions_moved").labelNames("direction")
                .help("Persistent sessions handed over between nodes, by direction (in: to this node).")
                .callback(cb -> {
                    ifCounted("cluster.sessions.moved_in", v -> cb.call(v, "in"));
                    ifCounted("cluster.sessions.moved_out", v -> cb.call(v, "out"));
                }).register(registry);
    }

    private void ifCounted(String counterName, DoubleConsumer out) {
        Long v = counters.get(counterName);
        if (v != null) {
            out.accept(v);
        }
    }

    /** Takes one bridge's figure. */
    @FunctionalInterface
    private interface BridgeFigure {
        void call(double value, String bridge);
    }

    private void perBridge(String what, BridgeFigure out) {
        String prefix = "bridge.";
        String suffix = "." + what;
        counters.forEach((name, v) -> {
            if (name.startsWith(prefix) && name.endsWith(suffix)) {
                out.call(v, name.substring(prefix.length(), name.length() - suffix.length()));
            }
        });
    }

    /**
     * One counter family: without a label, {@code cases} is the one counter name; with one, {@code cases} are
     * pairs of label value and counter name.
     */
    private void counter(PrometheusRegistry registry, String name, String help, String label, String... cases) {
        CounterWithCallback.Builder b = CounterWithCallback.builder().name(name).help(help);
        if (label == null) {
            b.callback(cb -> cb.call(value(cases[0])));
        } else {
            b.labelNames(label).callback(cb -> {
                for (int i = 0; i < cases.length; i += 2) {
                    cb.call(value(cases[i + 1]), cases[i]);
                }
            });
        }
        b.register(registry);
    }

    private void gauge(PrometheusRegistry registry, String name, String help, String counterName) {
        GaugeWithCallback.builder().name(name).help(help).callback(cb -> cb.call(value(counterName)))
                .register(registry);
    }

    private double value(String counterName) {
        Long v = counters.get(counterName);
        return v == null ? 0 : v;
    }
}
