package org.wrenmq.api;

import java.util.List;
import java.util.Map;
import java.util.Optional;

/** A read-only view of a running broker, for administration and monitoring. */
public interface MqttBroker {

    /** Sessions the broker knows: connected clients and persistent sessions of disconnected ones. */
    List<ClientInfo> clients();

    List<SubscriptionInfo> subscriptions();

    /** Named counters (messages received, sent, dropped by limit, connections...), a snapshot. */
    Map<String, Long> counters();

    /** One session in detail (for a console's client page), or empty when the broker has no such session. */
    default Optional<ClientDetails> client(String clientId) {
        throw new UnsupportedOperationException("client details");
    }

    /**
     * Closes the client's connection as an administrative action (MQTT 5 clients get DISCONNECT with reason 0x98);
     * its session stays as the client asked for (a persistent one waits for the client to return).
     *
     * @return false when the client is not connected
     */
    default boolean disconnect(String clientId) {
        throw new UnsupportedOperationException("disconnect");
    }

    /**
     * Retained messages whose topic {@code topicFilter} matches (MQTT wildcards, e.g. {@code plant/#}), at most
     * {@code limit}, in no particular order.
     */
    default List<MqttMessage> retained(String topicFilter, int limit) {
        throw new UnsupportedOperationException("retained messages");
    }

    /**
     * Removes the retained message of {@code topic} (from the store too), without sending anything to subscribers.
     *
     * @return false when the topic had none
     */
    default boolean deleteRetained(String topic) {
        throw new UnsupportedOperationException("delete retained");
    }

    /**
     * The broker's bridges ({@code connection} blocks) as they are now, in configuration order.
     *
     * @since 1.2.0
     */
    default List<BridgeInfo> bridges() {
        throw new UnsupportedOperationException("bridges");
    }

    record ClientInfo(String clientId, boolean connected, String remoteAddress, int protocolVersion,
                      boolean persistent, int inflight, int queued) {
    }

    record SubscriptionInfo(String clientId, String topicFilter, QoS qos) {
    }

    /**
     * @param keepAliveSeconds as granted at CONNECT; 0 for none (or when not connected)
     * @param subscriptions as subscribed, shared ones with their {@code $share/GROUP/} prefix
     */
    record ClientDetails(ClientInfo client, int keepAliveSeconds, List<SubscriptionInfo> subscriptions) {
    }

    /** Where a bridge's link to its remote broker stands. */
    enum BridgeState { CONNECTED, CONNECTING, DOWN }

    /**
     * One bridge.
     *
     * @param name the {@code connection} block's name
     * @param remoteAddress {@code HOST:PORT} connected to, being tried, or tried last
     * @param remoteClientId the client id at the remote broker
     * @param waiting out messages in flight or queued for the remote
     * @param forwarded messages sent to the remote
     * @param received messages received from the remote
     * @param dropped out messages dropped, by reason ({@code qos0_offline}, {@code too_large})
     */
    record BridgeInfo(String name, BridgeState state, String remoteAddress, String remoteClientId, long waiting,
                      long forwarded, long received, Map<String, Long> dropped) {
    }
}
