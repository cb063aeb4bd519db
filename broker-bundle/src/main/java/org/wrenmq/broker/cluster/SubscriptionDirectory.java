package org.wrenmq.broker.cluster;

import com.hazelcast.core.EntryEvent;
import com.hazelcast.core.HazelcastInstance;
import com.hazelcast.core.HazelcastInstanceNotActiveException;
import com.hazelcast.map.IMap;
import com.hazelcast.map.listener.EntryAddedListener;
import com.hazelcast.map.listener.EntryMergedListener;
import com.hazelcast.map.listener.EntryRemovedListener;
import com.hazelcast.map.listener.EntryUpdatedListener;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.wrenmq.broker.routing.SubscriptionTree;
import org.wrenmq.broker.routing.Topics;

/**
 * Which node has which filters, cluster-wide: a Hazelcast map with one entry per node and filter (not per
 * client: the local tree tells when a filter gains its first and loses its last subscriber here). Every node
 * listens to the map and keeps the other nodes' filters in a tree of its own, matched on each publish, so a
 * message crosses to a node only when that node has a matching subscriber.
 *
 * <p>The map is written by one thread per node, so a node's add and remove of a filter reach the map in order.
 * An entry's change reaches the other nodes a few milliseconds after the SUBACK: a message published elsewhere
 * in that instant does not reach the new subscriber (as on one broker, a subscription starts when it is known).
 */
final class SubscriptionDirectory implements SubscriptionTree.Observer {
    /** When a node reads the directory again after another joined ({@link #afterJoin}). */
    private static final long[] READ_AGAIN_AFTER_JOIN_SECONDS = {2, 10};
    private static final Logger LOG = LoggerFactory.getLogger(SubscriptionDirectory.class);
    static final String MAP = HazelcastSetup.MAP_PREFIX + "subscriptions";

    private final HazelcastInstance hazelcast;
    private final UUID self;
    private final IMap<String, String> map;
    /** The other nodes' filters, matched by the forwarder. */
    private final SubscriptionTree remoteTree = new SubscriptionTree();
    private final Map<UUID, RemoteNode> nodes = new ConcurrentHashMap<>();
    /** This node's own entries, to write again after a split brain healed. */
    private final Set<String> own = ConcurrentHashMap.newKeySet();
    /**
     * Per reading of the whole map under way, the keys removed since it began: it does not take them back in (it
     * read them before their removal, whose event may be taken in first). Guarded by {@code this}.
     */
    private final List<Set<String>> readings = new ArrayList<>();
    /** Writes this node's entries in the order the local tree changed. */
    private final Executor writer;
    private final ClusterCounters counters;
    /** Told after each filter of another node taken in ({@link MoveBarrier} waits for some). */
    private volatile Runnable onAdded = () -> { };
    /** The window towards each node, given to its {@link RemoteNode}. */
    private final ForwardingWindows windows;

    SubscriptionDirectory(HazelcastInstance hazelcast, ClusterCounters counters, Executor writer,
                          ForwardingWindows windows) {
        this.windows = windows;
        this.writer = writer;
        this.hazelcast = hazelcast;
        this.self = NodeIds.self(hazelcast);
        this.map = hazelcast.getMap(MAP);
        this.counters = counters;
    }

    /** Listens to the other nodes' entries, then takes in those already there. */
    void start() {
        MergeListeners.of(hazelcast).map(map, new Changes(), false);
        takeInAll();
    }

    SubscriptionTree remoteTree() {
        return remoteTree;
    }

    void onAdded(Runnable listener) {
        this.onAdded = listener;
    }

    /** Whether this node knows that {@code node} has every filter of {@code keys}. */
    boolean hasAll(UUID node, Collection<FilterKey> keys) {
        RemoteNode n = nodes.get(node);
        return n != null && n.filters().containsAll(keys);
    }

    /** Whether a message on {@code topic} published here now goes to {@code node} (for a plain subscription). */
    boolean routesTo(UUID node, String topic) {
        RemoteNode n = nodes.get(node);
        if (n == null) {
            return false;
        }
        for (FilterKey key : n.filters()) {
            if (key.shareGroup() == null && Topics.matches(key.topicFilter(), topic)) {
                return true;
            }
        }
        return false;
    }

    /** The other node as this node sends to it, or null when it never had a filter here. */
    RemoteNode node(UUID id) {
        return nodes.get(id);
    }

    // ---- this node's filters (called under the local tree's lock) ----

    @Override
    public void firstSubscriber(String topicFilter, String shareGroup) {
        String key = new FilterKey(self, shareGroup, topicFilter).asMapKey();
        own.add(key);
        writer.execute(() -> map.set(key, ""));
    }

    @Override
    public void lastSubscriberGone(String topicFilter, String shareGroup) {
        String key = new FilterKey(self, shareGroup, topicFilter).asMapKey();
        own.remove(key);
        writer.execute(() -> map.delete(key));
    }

    // ---- the other nodes' filters ----

    /**
     * A filter of a node that is no member (any more) is not taken in: a late event or a second reading of the map
     * may still show the entries of a node that left, and sending to it would fill its window for good and pause
     * the publishers ({@link ForwardingWindows}). A node merged back after a split brain is a member again first.
     */
    private void added(FilterKey key) {
        if (key.node().equals(self) || !nodes.containsKey(key.node()) && !NodeIds.isMember(hazelcast, key.node())) {
            return;
        }
        RemoteNode node = nodes.computeIfAbsent(key.node(),
                id -> new RemoteNode(id, hazelcast.getTopic(NodeInbox.topicName(id)),
                        hazelcast.getReliableTopic(NodeInbox.reliableTopicName(id)), windows.of(id)));
        if (node.remember(key)) {
            remoteTree.add(node.subscription(key));
            counters.remoteFilters.increment();
            counters.remoteFiltersAdded.increment();
            onAdded.run();
        }
    }

    private void removed(FilterKey key) {
        RemoteNode node = nodes.get(key.node());
        if (node != null && node.forget(key)) {
            remoteTree.remove(node, key.topicFilter(), key.shareGroup());
            counters.remoteFilters.decrement();
            if (node.hasLeft() && node.filters().isEmpty() && nodes.remove(key.node(), node)) {
                // after all this node wrote into the dead node's ring buffer: the adopter may switch over
                node.sendMark(Envelope.switched(self));
            }
        }
    }

    /**
     * A node left (or crashed): its filters leave the tree here at once, and the oldest member removes its entries
     * from the map, which no one else would. When its persistent sessions are adopted ({@code adopted}), its filters
     * stay until the oldest member, having adopted them, removes its entries ({@link #removeEntriesOf}): messages
     * for them go on into the dead node's ring buffer meanwhile, which the adopter reads. Once the last of them left
     * this node's tree, this node writes its {@link Envelope#switched} mark there.
     */
    void nodeLeft(UUID id, boolean oldest, boolean adopted) {
        if (adopted) {
            RemoteNode node = nodes.get(id);
            if (node != null) {
                node.markLeft();
            }
            return;
        }
        RemoteNode node = nodes.remove(id);
        if (node != null) {
            for (FilterKey key : node.filters()) {
                remoteTree.remove(node, key.topicFilter(), key.shareGroup());
                counters.remoteFilters.decrement();
            }
            node.filters().clear();
        }
        if (oldest) {
            removeEntriesOf(id);
        }
    }

    /** Removes a node's entries from the map: every node's tree follows. */
    void removeEntriesOf(UUID id) {
        writer.execute(() -> {
            int removed = 0;
            for (String key : map.keySet()) {
                if (FilterKey.parse(key).node().equals(id)) {
                    map.delete(key);
                    removed++;
                }
            }
            LOG.info("cluster: node {} left; its {} subscription filters removed from the directory", id,
                    removed);
        });
    }

    /**
     * After a split brain healed: the other side's nodes may have removed this node's entries when it seemed gone,
     * so they are written again, and the map's entries (merged by Hazelcast) taken in again.
     */
    void afterMerge() {
        writer.execute(() -> {
            own.forEach(key -> map.set(key, ""));
            takeInAll();
        });
    }

    /**
     * A member that just joined (a side merged back after a split brain) may publish the events of entries it
     * writes before it knows the other nodes' listeners, so a filter written there in that moment could reach no
     * one: each node reads the map again a moment after a join and takes in what it missed.
     */
    void afterJoin() {
        for (long seconds : READ_AGAIN_AFTER_JOIN_SECONDS) {
            CompletableFuture.delayedExecutor(seconds, TimeUnit.SECONDS, writer).execute(this::takeInAll);
        }
    }

    /**
     * Every entry of the map taken in, but those removed since it was read: taking a known filter in again changes
     * nothing, taking a removed one back in would send its messages to a node without a subscriber for good.
     */
    private void takeInAll() {
        Set<String> removedSince = new HashSet<>();
        synchronized (this) {
            readings.add(removedSince);
        }
        Set<String> keys;
        try {
            keys = map.keySet();
        } catch (RuntimeException e) {
            synchronized (this) {
                readings.removeIf(r -> r == removedSince);
            }
            if (e instanceof HazelcastInstanceNotActiveException) {
                return; // the node stopped (or was killed) meanwhile: nothing to take in
            }
            throw e;
        }
        HeldEvents.apply(HeldEvents.directoryReading(self), () -> {
            synchronized (this) {
                readings.removeIf(r -> r == removedSince); // by identity: two readings' sets may be equal
                keys.stream().filter(key -> !removedSince.contains(key)).forEach(key -> added(FilterKey.parse(key)));
            }
        });
    }

    private void removedFromMap(String key) {
        synchronized (this) {
            readings.forEach(reading -> reading.add(key));
            removed(FilterKey.parse(key));
        }
    }

    /** Takes this node's entries out (a clean stop). */
    void stop() {
        writer.execute(() -> {
            for (String key : map.keySet()) {
                if (FilterKey.parse(key).node().equals(self)) {
                    map.delete(key);
                }
            }
        });
    }

    /**
     * An entry merged in after a split brain (the other side had removed it when its node seemed gone) or written
     * again by its merged node counts as added: taking a known filter in again changes nothing.
     */
    private final class Changes implements EntryAddedListener<String, String>, EntryRemovedListener<String, String>,
            EntryUpdatedListener<String, String>, EntryMergedListener<String, String> {
        @Override
        public void entryAdded(EntryEvent<String, String> event) {
            HeldEvents.apply(self, () -> added(FilterKey.parse(event.getKey())));
        }

        @Override
        public void entryUpdated(EntryEvent<String, String> event) {
            entryAdded(event);
        }

        @Override
        public void entryMerged(EntryEvent<String, String> event) {
            entryAdded(event);
        }

        @Override
        public void entryRemoved(EntryEvent<String, String> event) {
            HeldEvents.apply(self, () -> removedFromMap(event.getKey()));
        }
    }
}
