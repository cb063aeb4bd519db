package org.wrenmq.broker.routing;

import org.wrenmq.api.QoS;
import org.wrenmq.broker.message.Publication;
import org.wrenmq.broker.store.StoredEntry;

/**
 * One message on its way to one session: the shared publication plus what is particular to this subscriber.
 *
 * @param qos             the QoS it is delivered at: the lower of the published and the granted QoS
 * @param retainFlag      the RETAIN flag to send
 * @param subscriptionIds MQTT 5 subscription identifiers of the matching subscriptions (may be empty)
 * @param stored          its entry in the store (QoS 1/2 to a persistent session with persistence on), else null
 * @param maybeSent       true for a message restored after a restart: it may have reached the client, so it is
 *                        resent with DUP set
 */
public record Delivery(Publication publication, QoS qos, boolean retainFlag, int[] subscriptionIds,
                       StoredEntry stored, boolean maybeSent) {
    public static final int[] NO_IDS = new int[0];

    public Delivery(Publication publication, QoS qos, boolean retainFlag, int[] subscriptionIds) {
        this(publication, qos, retainFlag, subscriptionIds, null, false);
    }
}
