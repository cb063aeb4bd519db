package org.wrenmq.broker.cluster;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A test hook: holds back events on one node, as when they reach it late, so that tests reproduce
 * deterministically what happens in the few milliseconds a change takes to reach every node: the subscription
 * directory's events (held by the node's id), what other nodes send its {@link #inbox} (both topics), the answers
 * to the {@link #sessionRequests} it made, what it read of the whole directory ({@link #directoryReading}).
 * Nothing is held unless a test asks.
 */
final class HeldEvents {
    private static final Map<Object, List<Runnable>> HELD = new ConcurrentHashMap<>();

    private record Inbox(UUID node) {
    }

    private record SessionRequests(UUID node) {
    }

    private record DirectoryReading(UUID node) {
    }

    private HeldEvents() {
    }

    /** What is held back of {@code node}'s inbox: the messages and markers other nodes send it. */
    static Object inbox(UUID node) {
        return new Inbox(node);
    }

    /** What is held back of the answers to {@code node}'s session requests (the sessions, what stubs pass on). */
    static Object sessionRequests(UUID node) {
        return new SessionRequests(node);
    }

    /** What is held back of {@code node}'s readings of the whole directory: taking in what it read. */
    static Object directoryReading(UUID node) {
        return new DirectoryReading(node);
    }

    /** How many events of {@code what} are held back now. */
    static int held(Object what) {
        List<Runnable> held = HELD.get(what);
        if (held == null) {
            return 0;
        }
        synchronized (held) {
            return held.size();
        }
    }

    /** From now on, the events of {@code what} (a node's id: its directory events) wait until {@link #release}. */
    static void hold(Object what) {
        HELD.putIfAbsent(what, new ArrayList<>());
    }

    /**
     * The events held back of {@code what} are applied, in order, and the next ones at once. They stay held while
     * these are applied: an event coming meanwhile on another thread waits for them (taken off before, it ran
     * beside them, ahead of some: HandOverTests once saw a publisher's messages out of order).
     */
    static void release(Object what) {
        List<Runnable> held = HELD.get(what);
        if (held == null) {
            return;
        }
        synchronized (held) {
            try {
                for (int i = 0; i < held.size(); i++) { // by index: an event applied here may add one, on this thread
                    held.get(i).run();
                }
            } finally {
                HELD.remove(what);
            }
        }
    }

    /** Applies {@code event} of {@code what} now, or later when held. */
    static void apply(Object what, Runnable event) {
        List<Runnable> held = HELD.isEmpty() ? null : HELD.get(what);
        if (held != null) {
            synchronized (held) {
                if (HELD.get(what) == held) {
                    held.add(event);
                    return;
                }
            }
        }
        event.run();
    }
}
