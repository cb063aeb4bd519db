package org.wrenmq.broker.session;

import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.wrenmq.broker.store.MessageStore;

/**
 * Packet ids of incoming QoS 2 messages awaiting PUBREL (method B of the spec: the message is routed once, on
 * receipt [MQTT-4.3.3-2]); a resent duplicate is recognised and not routed again. Kept in the store for a
 * persistent session. Touched on the session's executor only.
 */
final class IncomingQos2 {
    private final String clientId;
    private final MessageStore store;
    /** Empty and immutable until first used: most sessions never receive QoS 2. */
    private Set<Integer> awaitingPubRel = Set.of();

    IncomingQos2(String clientId, MessageStore store) {
        this.clientId = clientId;
        this.store = store;
    }

    /** @return false if the id is already awaiting PUBREL: a resent duplicate, not to be routed again */
    boolean begin(int packetId, boolean persistent) {
        boolean added = forUpdate().add(packetId);
        if (added && persistent) {
            store.addIncomingQos2(clientId, packetId);
        }
        return added;
    }

    /** @return whether the id was awaiting PUBREL */
    boolean release(int packetId, boolean persistent) {
        boolean removed = !awaitingPubRel.isEmpty() && awaitingPubRel.remove(packetId);
        if (removed && persistent) {
            store.removeIncomingQos2(clientId, packetId);
        }
        return removed;
    }

    void restore(List<Integer> packetIds) {
        if (!packetIds.isEmpty()) {
            forUpdate().addAll(packetIds);
        }
    }

    /** The packet ids awaiting PUBREL, for a move to another node. */
    List<Integer> packetIds() {
        return List.copyOf(awaitingPubRel);
    }

    int count() {
        return awaitingPubRel.size();
    }

    private Set<Integer> forUpdate() {
        if (!(awaitingPubRel instanceof HashSet)) {
            awaitingPubRel = new HashSet<>();
        }
        return awaitingPubRel;
    }
}
