package org.wrenmq.broker.routing;

import org.wrenmq.broker.message.Publication;

/**
 * The other nodes of a cluster, as the router sees them: a message published here is offered to them once, after
 * this node's own subscribers have it. A single broker has {@link #NONE}; the cluster package provides the real
 * one, so routing never depends on it.
 */
public interface RemoteNodes {

    RemoteNodes NONE = p -> { };

    /**
     * Sends {@code p} to each other node that has a matching subscription, one copy per node. Called on the
     * publisher's thread, in publish order; must not block.
     */
    void forward(Publication p);
}
