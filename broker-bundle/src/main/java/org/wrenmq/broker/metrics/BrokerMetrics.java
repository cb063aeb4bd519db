package org.wrenmq.broker.metrics;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.atomic.LongAdder;

/**
 * The broker's counters, one per event an operator may want to see, under stable names
 * (also published under {@code $SYS/broker/...} and shown by the admin views). Every limit that refuses or drops
 * something has its counter here: nothing is dropped without being counted.
 */
public final class BrokerMetrics {
    public final LongAdder connectionsAccepted = new LongAdder();
    /** CONNECT packets received (mosquitto's {@code load/connections}); accepted or not. */
    public final LongAdder connectPackets = new LongAdder();
    public final LongAdder connectionsCurrent = new LongAdder();
    public final LongAdder connectionsRefusedMaxConnections = new LongAdder();
    public final LongAdder connectionsRefusedAuth = new LongAdder();
    public final LongAdder connectionsClosedProtocolError = new LongAdder();
    public final LongAdder connectionsClosedKeepalive = new LongAdder();
    /** Server-side closes where the client did not close within the grace after the server's last packet. */
    public final LongAdder connectionsCloseGraceExpired = new LongAdder();
    public final LongAdder connectionsClosedConnectTimeout = new LongAdder();
    public final LongAdder connectionsRefusedMaxPending = new LongAdder();
    /** Connections closed because handling their input threw: a bug, which the fuzz tests look for. */
    public final LongAdder connectionsClosedInternalError = new LongAdder();
    public final LongAdder messagesRefusedSysTopic = new LongAdder();
    /** PUBLISH packets (and in-VM publications) taken in, by QoS: index 0, 1, 2. */
    private final LongAdder[] messagesReceived = byQos();
    /** PUBLISH packets written to clients, by QoS. */
    private final LongAdder[] messagesSent = byQos();
    public final LongAdder bytesReceived = new LongAdder();
    public final LongAdder bytesSent = new LongAdder();
    /** Payload bytes of the PUBLISH packets counted in {@code messages.received} and {@code messages.sent}. */
    private final LongAdder publishBytesReceived = new LongAdder();
    private final LongAdder publishBytesSent = new LongAdder();
    /**
     * Payload bytes queued for sessions now: a level, not a count of events, so not in {@link #snapshot()}
     * ({@code $SYS/broker/store/messages/bytes} adds it to the retained messages' bytes).
     */
    public final LongAdder queuedPayloadBytes = new LongAdder();
    public final LongAdder messagesDroppedQueueFull = new LongAdder();
    public final LongAdder messagesDroppedQos0Offline = new LongAdder();
    public final LongAdder messagesDroppedExpired = new LongAdder();
    public final LongAdder messagesDroppedTooLargeForClient = new LongAdder();
    public final LongAdder messagesRefusedSizeLimit = new LongAdder();
    public final LongAdder messagesRefusedMaxQos = new LongAdder();
    public final LongAdder willsPublished = new LongAdder();
    /** Persistent sessions ended by their expiry interval while their client was away. */
    public final LongAdder sessionsExpired = new LongAdder();
    /** Sessions resumed by a connection on another event loop, and moved there. */
    public final LongAdder sessionsMovedLoop = new LongAdder();
    public final LongAdder tlsHandshakesTimedOut = new LongAdder();
    public final LongAdder tlsHandshakesFailed = new LongAdder();
    public final LongAdder aclDeniedSubscribe = new LongAdder();
    public final LongAdder aclDeniedPublish = new LongAdder();
    public final LongAdder aclDeniedDelivery = new LongAdder();
    public final LongAdder aclDeniedWill = new LongAdder();
    /** Timed deliveries, for the {@code wrenmq_delivery_latency_seconds} histogram. */
    public final DeliveryLatency deliveryLatency = new DeliveryLatency();

    public void messageReceived(int qos, int payloadBytes) {
        messagesReceived[qos].increment();
        publishBytesReceived.add(payloadBytes);
    }

    public void messageSent(int qos, int payloadBytes) {
        messagesSent[qos].increment();
        publishBytesSent.add(payloadBytes);
    }

    /** A snapshot, by name. */
    public Map<String, Long> snapshot() {
        Map<String, Long> m = new LinkedHashMap<>();
        m.put("connections.accepted", connectionsAccepted.sum());
        m.put("connections.connect_packets", connectPackets.sum());
        m.put("connections.current", connectionsCurrent.sum());
        m.put("connections.refused.max_connections", connectionsRefusedMaxConnections.sum());
        m.put("connections.refused.auth", connectionsRefusedAuth.sum());
        m.put("connections.closed.protocol_error", connectionsClosedProtocolError.sum());
        m.put("connections.closed.keepalive", connectionsClosedKeepalive.sum());
        m.put("connections.close_grace_expired", connectionsCloseGraceExpired.sum());
        m.put("connections.closed.connect_timeout", connectionsClosedConnectTimeout.sum());
        m.put("connections.refused.max_pending", connectionsRefusedMaxPending.sum());
        m.put("connections.closed.internal_error", connectionsClosedInternalError.sum());
        putByQos(m, "messages.received", messagesReceived);
        putByQos(m, "messages.sent", messagesSent);
        m.put("bytes.received", bytesReceived.sum());
        m.put("bytes.sent", bytesSent.sum());
        m.put("publish.bytes.received", publishBytesReceived.sum());
        m.put("publish.bytes.sent", publishBytesSent.sum());
        m.put("messages.dropped.queue_full", messagesDroppedQueueFull.sum());
        m.put("messages.dropped.qos0_offline", messagesDroppedQos0Offline.sum());
        m.put("messages.dropped.expired", messagesDroppedExpired.sum());
        m.put("messages.dropped.too_large_for_client", messagesDroppedTooLargeForClient.sum());
        m.put("messages.refused.message_size_limit", messagesRefusedSizeLimit.sum());
        m.put("messages.refused.max_qos", messagesRefusedMaxQos.sum());
        m.put("messages.refused.sys_topic", messagesRefusedSysTopic.sum());
        m.put("wills.published", willsPublished.sum());
        m.put("sessions.moved_loop", sessionsMovedLoop.sum());
        m.put("sessions.expired", sessionsExpired.sum());
        m.put("tls.handshakes.timed_out", tlsHandshakesTimedOut.sum());
        m.put("tls.handshakes.failed", tlsHandshakesFailed.sum());
        m.put("acl.denied.subscribe", aclDeniedSubscribe.sum());
        m.put("acl.denied.publish", aclDeniedPublish.sum());
        m.put("acl.denied.delivery", aclDeniedDelivery.sum());
        m.put("acl.denied.will", aclDeniedWill.sum());
        return m;
    }

    /** The total under {@code name}, as before, and each QoS under {@code name.qosN}. */
    private static void putByQos(Map<String, Long> m, String name, LongAdder[] counters) {
        long[] byQos = new long[counters.length];
        long total = 0;
        for (int qos = 0; qos < counters.length; qos++) {
            byQos[qos] = counters[qos].sum();
            total += byQos[qos];
        }
        m.put(name, total);
        for (int qos = 0; qos < counters.length; qos++) {
            m.put(name + ".qos" + qos, byQos[qos]);
        }
    }

    private static LongAdder[] byQos() {
        return new LongAdder[] {new LongAdder(), new LongAdder(), new LongAdder()};
    }
}
