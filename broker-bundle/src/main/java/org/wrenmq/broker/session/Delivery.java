package org.wrenmq.broker.session;

import org.wrenmq.api.QoS;
import org.wrenmq.broker.message.Publication;

/**
 * One message on its way to one session: the shared publication plus what is particular to this subscriber.
 *
 * @param qos             the QoS it is delivered at: the lower of the published and the granted QoS
 * @param retainFlag      the RETAIN flag to send
 * @param subscriptionIds MQTT 5 subscription identifiers of the matching subscriptions (may be empty)
 */
public record Delivery(Publication publication, QoS qos, boolean retainFlag, int[] subscriptionIds) {
    public static final int[] NO_IDS = new int[0];
}
