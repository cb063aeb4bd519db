package org.wrenmq.broker.message;

import java.util.UUID;

/**
 * A QoS 1/2 message's identity cluster-wide: the node it was published on and its number among the QoS 1/2 messages
 * that node routed (1, 2, 3..., in each publisher's order), whichever nodes its copies go to. Forwarded messages
 * carry it (the cluster's envelope), and so do the store entries routed from them and the cluster's mirror of
 * persistent sessions: where a node gets the same message twice (a session moving in, a dead node's sessions
 * adopted), the identity tells the copies apart.
 */
public record Origin(UUID node, long seq) {
}
