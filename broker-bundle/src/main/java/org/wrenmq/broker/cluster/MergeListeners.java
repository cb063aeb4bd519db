package org.wrenmq.broker.cluster;

import com.hazelcast.core.HazelcastInstance;
import com.hazelcast.map.IMap;
import com.hazelcast.map.listener.MapListener;
import com.hazelcast.topic.ITopic;
import com.hazelcast.topic.MessageListener;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;
import java.util.function.Supplier;

/**
 * This node's listeners to the cluster's topics and map entries, registered again after its side merged back from
 * a split brain: the other side dropped their registrations when this node seemed to leave, and Hazelcast does not
 * send them again (measured with Hazelcast 5.7: nothing published elsewhere reached the merged node). Reliable topics
 * read their ring buffer themselves and need nothing. One per member, kept in its user context.
 */
final class MergeListeners {
    private static final String KEY = MergeListeners.class.getName();

    private final List<Registration> registrations = new CopyOnWriteArrayList<>();

    private static final class Registration {
        private final Supplier<UUID> add;
        private final Consumer<UUID> remove;
        private volatile UUID id;

        Registration(Supplier<UUID> add, Consumer<UUID> remove) {
            this.add = add;
            this.remove = remove;
            this.id = add.get();
        }

        void again() {
            remove.accept(id);
            id = add.get();
        }
    }

    static MergeListeners of(HazelcastInstance hazelcast) {
        return (MergeListeners) hazelcast.getUserContext().computeIfAbsent(KEY, k -> new MergeListeners());
    }

    /** Adds {@code listener} to {@code topic}, now and after each merge. */
    <T> void topic(ITopic<T> topic, MessageListener<T> listener) {
        registrations.add(new Registration(() -> topic.addMessageListener(listener), topic::removeMessageListener));
    }

    /** Adds {@code listener} to {@code map}'s entry events, now and after each merge. */
    <K, V> void map(IMap<K, V> map, MapListener listener, boolean includeValue) {
        registrations.add(new Registration(() -> map.addEntryListener(listener, includeValue),
                map::removeEntryListener));
    }

    /** This node merged back: every listener registered again (not on a Hazelcast thread). */
    void again() {
        registrations.forEach(Registration::again);
    }
}
