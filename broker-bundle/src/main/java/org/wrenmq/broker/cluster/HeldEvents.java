package org.wrenmq.broker.cluster;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A test hook: holds back the subscription directory's events on one node, as when they reach it late, so that
 * tests reproduce deterministically what happens in the few milliseconds a change takes to reach every node.
 * Nothing is held unless a test asks.
 */
final class HeldEvents {
    private static final Map<UUID, List<Runnable>> HELD = new ConcurrentHashMap<>();

    private HeldEvents() {
    }

    /** From now on, {@code node} applies no directory event until {@link #release}. */
    static void hold(UUID node) {
        HELD.putIfAbsent(node, new ArrayList<>());
    }

    /** {@code node} applies the events held back, in order, and the next ones at once. */
    static void release(UUID node) {
        List<Runnable> held = HELD.get(node);
        if (held == null) {
            return;
        }
        synchronized (held) {
            HELD.remove(node);
            held.forEach(Runnable::run);
        }
    }

    /** Applies {@code event} on {@code node} now, or later when held. */
    static void apply(UUID node, Runnable event) {
        List<Runnable> held = HELD.isEmpty() ? null : HELD.get(node);
        if (held != null) {
            synchronized (held) {
                if (HELD.get(node) == held) {
                    held.add(event);
                    return;
                }
            }
        }
        event.run();
    }
}
