package org.wrenmq.broker.routing;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import org.wrenmq.api.QoS;
import org.wrenmq.broker.message.Origin;
import org.wrenmq.broker.message.Publication;

/**
 * The other nodes of a cluster, as the router sees them. A single broker has {@link #NONE}; the cluster package
 * provides the real one, so routing never depends on it.
 *
 * <p>For each message published here the router asks for a {@link Forwarding}, routes the message to this node's
 * subscribers (asking it which node takes each matching shared subscription group, so that a group gets the
 * message once cluster-wide), then lets it send the message to the other nodes.
 */
public interface RemoteNodes {

    RemoteNodes NONE = p -> Forwarding.HERE_ONLY;

    /** What {@link Forwarding#send} returns when the publisher's acknowledgement has nothing to wait for. */
    CompletionStage<Void> NOTHING_TO_WAIT = CompletableFuture.completedStage(null);

    /** Starts routing {@code p} cluster-wide; on the publisher's thread, in publish order. */
    Forwarding begin(Publication p);

    /** One message's way through the cluster. */
    interface Forwarding {
        /** This node alone: every shared group here takes the message, nothing is sent elsewhere. */
        Forwarding HERE_ONLY = new Forwarding() { };

        /**
         * Whether this node's member {@code picked} of a shared group takes the message, or a member of the same
         * group on another node does.
         */
        default boolean takeSharedHere(Subscription picked) {
            return true;
        }

        /**
         * Sends the message to each other node with a matching subscription, one copy per node; must not block.
         *
         * @return completes once the other nodes' copies of a QoS 1/2 message are held by the cluster (failed when
         *     they could not be): the publisher's acknowledgement waits for it; {@link #NOTHING_TO_WAIT} when
         *     there is nothing to wait for
         */
        default CompletionStage<Void> send() {
            return NOTHING_TO_WAIT;
        }

        /**
         * Whether the cluster takes over this node's delivery of the message to {@code target} (a session adopted
         * from a dead node, which gets it in order with what comes through that node's ring buffer, and once): the
         * router then neither stores nor hands it over. On the routing thread, before {@link #send}.
         */
        default boolean takesDelivery(Subscriber target, Publication p, QoS qos, boolean retainFlag, int[] ids) {
            return false;
        }

        /**
         * The message's identity cluster-wide, kept with its store entries ({@link
         * org.wrenmq.broker.store.StoredEntry#origin}); null when it has none (QoS 0, a single broker).
         */
        default Origin origin() {
            return null;
        }

        /**
         * After {@link #send}: whether the nodes the message went to can take more from this node now.
         *
         * @return completes once every one of them has caught up enough ({@code cluster_max_inflight_messages}): the
         *     publisher is not read meanwhile; {@link #NOTHING_TO_WAIT} when none is too far behind
         */
        default CompletionStage<Void> whenNodesHaveRoom() {
            return NOTHING_TO_WAIT;
        }
    }
}
