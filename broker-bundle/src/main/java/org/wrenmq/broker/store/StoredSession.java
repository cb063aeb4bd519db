package org.wrenmq.broker.store;

import java.util.List;
import org.wrenmq.broker.message.Publication;

/**
 * A persistent session as stored. Subscriptions are kept without their session (filled in at recovery).
 *
 * @param disconnectedAtMillis when the client went away, 0 while it was connected (at a crash: the restart time
 *                             counts as the disconnect)
 * @param will                 the will of the connection, published at recovery if it was connected at the crash,
 *                             or still waiting for its delay; null for none
 * @param entries              the queued and in-flight messages in order (filled at recovery only)
 * @param incomingQos2         packet ids of incoming QoS 2 messages awaiting PUBREL (filled at recovery only)
 * @param messages             the messages the entries refer to, by id (filled at recovery only)
 */
public record StoredSession(String clientId, long expiryIntervalSeconds, long disconnectedAtMillis,
                            List<SubscriptionRecord> subscriptions, Publication will, long willDelaySeconds,
                            List<StoredEntry> entries, List<Integer> incomingQos2,
                            java.util.Map<Long, Publication> messages) {

    /** A subscription as stored. */
    public record SubscriptionRecord(String topicFilter, String shareGroup, int qos, boolean noLocal,
                                     boolean retainAsPublished, int retainHandling, int subscriptionId) {
    }
}
