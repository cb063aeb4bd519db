package org.wrenmq.jca.broker;

import java.util.List;
import org.wrenmq.api.QoS;

/**
 * What one message endpoint subscribes to.
 *
 * @param topicFilters    filters as sent to the broker (shared ones already prefixed with {@code $share/GROUP/})
 * @param receiveMaximum  how many QoS 1/2 messages the broker may have in flight to this session: the adapter
 *                        never holds more unacknowledged messages than it can run at once
 * @param sessionExpiry   seconds the broker keeps the session after a disconnect (MQTT 5)
 * @param credentials     who the session logs in as; {@link Credentials#NONE} for the adapter's own
 */
public record SubscriptionRequest(List<String> topicFilters, QoS qos, String clientId, boolean cleanStart,
                                  long sessionExpiry, int receiveMaximum, Credentials credentials) {
    public SubscriptionRequest {
        topicFilters = List.copyOf(topicFilters);
    }
}
