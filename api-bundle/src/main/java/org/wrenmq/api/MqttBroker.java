package org.wrenmq.api;

import java.util.List;
import java.util.Map;

/** A read-only view of a running broker, for administration and monitoring. */
public interface MqttBroker {

    /** Sessions the broker knows: connected clients and persistent sessions of disconnected ones. */
    List<ClientInfo> clients();

    List<SubscriptionInfo> subscriptions();

    /** Named counters (messages received, sent, dropped by limit, connections...), a snapshot. */
    Map<String, Long> counters();

    record ClientInfo(String clientId, boolean connected, String remoteAddress, int protocolVersion,
                      boolean persistent, int inflight, int queued) {
    }

    record SubscriptionInfo(String clientId, String topicFilter, QoS qos) {
    }
}
