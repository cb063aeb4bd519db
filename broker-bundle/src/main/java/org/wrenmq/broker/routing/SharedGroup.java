package org.wrenmq.broker.routing;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The members of one shared subscription group on one filter. Each message goes to one member, round robin,
 * preferring members whose client is connected so that a message does not wait for a client that is away.
 */
public final class SharedGroup {
    private final List<Subscription> members = new CopyOnWriteArrayList<>();
    private final AtomicInteger next = new AtomicInteger();

    Subscription put(Subscription s) {
        for (int i = 0; i < members.size(); i++) {
            Subscription old = members.get(i);
            if (old.session() == s.session()) {
                members.set(i, s);
                return old;
            }
        }
        members.add(s);
        return null;
    }

    boolean remove(Object session) {
        return members.removeIf(s -> s.session() == session);
    }

    /** The number of members. */
    public int size() {
        return members.size();
    }

    boolean isEmpty() {
        return members.isEmpty();
    }

    /** @return the member to receive the next message, or null for an empty group */
    public Subscription pick() {
        int size = members.size();
        if (size == 0) {
            return null;
        }
        int start = Math.floorMod(next.getAndIncrement(), size);
        for (int i = 0; i < size; i++) {
            Subscription s = members.get((start + i) % size);
            if (s.session().isOnline()) {
                return s;
            }
        }
        return members.get(start % members.size());
    }

    /** @return another member than {@code session} that is online, for redistributing its messages, or null */
    public Subscription pickOtherThan(Object session) {
        for (Subscription s : members) {
            if (s.session() != session && s.session().isOnline()) {
                return s;
            }
        }
        return null;
    }
}
