package org.wrenmq.broker.routing;

import org.wrenmq.api.QoS;

/**
 * One entry of a session's subscriptions: the filter, the granted QoS and the MQTT 5 subscription options.
 *
 * @param session        who subscribed (a client's session, or any other {@link Subscriber})
 * @param shareGroup     the group of a {@code $share/GROUP/FILTER} subscription, else null
 * @param retainHandling 0 send retained messages at subscribe, 1 only if the subscription is new, 2 never
 * @param subscriptionId MQTT 5 subscription identifier, 0 for none
 */
public record Subscription(Subscriber session, String topicFilter, String shareGroup, QoS qos, boolean noLocal,
                           boolean retainAsPublished, int retainHandling, int subscriptionId) {

    /** A plain MQTT 3.1.1 subscription. */
    public static Subscription of(Subscriber session, String topicFilter, QoS qos) {
        return new Subscription(session, topicFilter, null, qos, false, false, 0, 0);
    }

    /** The filter as the client wrote it, with the {@code $share/GROUP/} prefix for shared subscriptions. */
    public String asSubscribed() {
        return shareGroup == null ? topicFilter : Topics.SHARE_PREFIX + shareGroup + "/" + topicFilter;
    }
}
