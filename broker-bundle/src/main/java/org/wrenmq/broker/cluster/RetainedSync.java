package org.wrenmq.broker.cluster;

import com.hazelcast.core.EntryEvent;
import com.hazelcast.map.IMap;
import com.hazelcast.map.listener.EntryAddedListener;
import com.hazelcast.map.listener.EntryRemovedListener;
import com.hazelcast.map.listener.EntryUpdatedListener;
import java.util.Map;
import org.wrenmq.api.QoS;
import org.wrenmq.broker.message.Publication;
import org.wrenmq.broker.routing.RetainedTree;
import org.wrenmq.broker.store.PublicationBytes;

/**
 * Retained messages cluster-wide: a Hazelcast map by topic (with {@code cluster_backup_count} backups) holds the
 * cluster's retained messages, and each node mirrors it in its own retained tree, which new subscriptions read
 * locally as on a single broker. A node that joins takes in the map and adds the retained messages it restored
 * from its own store that the cluster does not have.
 */
final class RetainedSync {
    static final String MAP = HazelcastSetup.MAP_PREFIX + "retained";

    private final IMap<String, byte[]> map;
    private final RetainedTree local;

    RetainedSync(IMap<String, byte[]> map, RetainedTree local) {
        this.map = map;
        this.local = local;
    }

    /** @param listeners where its listener is registered (again after a split brain) */
    void start(MergeListeners listeners) {
        listeners.map(map, new Changes(), true);
        local.match("#", p -> map.putIfAbsent(p.topic(), PublicationBytes.encode(p)));
        reload();
    }

    /**
     * Takes in the map as it is: at start, and after a split brain healed (Hazelcast merged both sides' retained
     * messages, the newest of each topic winning, without telling the listeners of the entries it merged).
     */
    void reload() {
        for (Map.Entry<String, byte[]> e : map.entrySet()) {
            local.put(PublicationBytes.decode(e.getValue()));
        }
    }

    /** A retained message (or the clearing of one) published on this node, already in the local tree. */
    void published(Publication p) {
        if (p.payload().length == 0) {
            map.deleteAsync(p.topic());
        } else {
            map.setAsync(p.topic(), PublicationBytes.encode(p));
        }
    }

    private final class Changes implements EntryAddedListener<String, byte[]>, EntryUpdatedListener<String, byte[]>,
            EntryRemovedListener<String, byte[]> {
        @Override
        public void entryAdded(EntryEvent<String, byte[]> event) {
            fromOtherNode(event);
        }

        @Override
        public void entryUpdated(EntryEvent<String, byte[]> event) {
            fromOtherNode(event);
        }

        @Override
        public void entryRemoved(EntryEvent<String, byte[]> event) {
            if (!event.getMember().localMember()) {
                local.put(Publication.simple(event.getKey(), new byte[0], QoS.AT_MOST_ONCE, true, null));
            }
        }

        private void fromOtherNode(EntryEvent<String, byte[]> event) {
            if (!event.getMember().localMember()) {
                local.put(PublicationBytes.decode(event.getValue()));
            }
        }
    }
}
