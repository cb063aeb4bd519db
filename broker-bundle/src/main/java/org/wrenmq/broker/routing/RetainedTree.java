package org.wrenmq.broker.routing;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import org.wrenmq.broker.message.Publication;
import org.wrenmq.broker.time.BrokerClock;

/**
 * Retained messages in a trie with one topic level per node, walked by a subscriber's filter: an exact level
 * follows one child, '+' every child, '#' the whole subtree below (and the node itself). A new subscription
 * touches only the branches its filter can match, never every retained message.
 *
 * <p>Reads take no lock; set and clear are serialised so that pruning an emptied branch never races with a
 * message being stored in it.
 */
public final class RetainedTree {
    /** Expired retained messages are skipped (and never sent) by the time of this clock. */
    private final BrokerClock clock;

    public RetainedTree() {
        this(BrokerClock.SYSTEM);
    }

    public RetainedTree(BrokerClock clock) {
        this.clock = clock;
    }


    private static final class Node {
        final Map<String, Node> children = new ConcurrentHashMap<>(4);
        volatile Publication message;
    }

    private final Node root = new Node();
    private final AtomicLong count = new AtomicLong();
    private final AtomicLong payloadBytes = new AtomicLong();

    /** Stores {@code message} for its topic, or clears the topic when the payload is empty [MQTT-3.3.1-10]. */
    public synchronized void put(Publication message) {
        String[] levels = Topics.levels(message.topic());
        if (message.payload().length == 0) {
            clear(levels);
            return;
        }
        Node node = root;
        for (String level : levels) {
            node = node.children.computeIfAbsent(level, l -> new Node());
        }
        if (node.message == null) {
            count.incrementAndGet();
        } else {
            payloadBytes.addAndGet(-node.message.payload().length);
        }
        payloadBytes.addAndGet(message.payload().length);
        node.message = message;
    }

    private void clear(String[] levels) {
        List<Node> path = new ArrayList<>(levels.length + 1);
        Node node = root;
        path.add(node);
        for (String level : levels) {
            node = node.children.get(level);
            if (node == null) {
                return;
            }
            path.add(node);
        }
        if (node.message != null) {
            payloadBytes.addAndGet(-node.message.payload().length);
            node.message = null;
            count.decrementAndGet();
        }
        for (int i = levels.length; i > 0; i--) {
            Node n = path.get(i);
            if (n.message != null || !n.children.isEmpty()) {
                break;
            }
            path.get(i - 1).children.remove(levels[i - 1]);
        }
    }

    /** Calls {@code sink} with every retained message whose topic {@code filter} matches. */
    public void match(String filter, Consumer<Publication> sink) {
        long now = clock.millis();
        match(root, Topics.levels(filter), 0, m -> {
            if (!m.isExpired(now)) {
                sink.accept(m);
            }
        });
    }

    public long size() {
        return count.get();
    }

    /** Payload bytes of the retained messages held (mosquitto's {@code $SYS/broker/store/messages/bytes}). */
    public long payloadBytes() {
        return payloadBytes.get();
    }

    private static void match(Node node, String[] levels, int i, Consumer<Publication> sink) {
        if (i == levels.length) {
            emit(node, sink);
            return;
        }
        String level = levels[i];
        boolean root = i == 0;
        if (level.equals("#")) {
            emit(node, sink);
            node.children.forEach((name, child) -> {
                if (!(root && name.startsWith("$"))) {
                    emitSubtree(child, sink);
                }
            });
        } else if (level.equals("+")) {
            node.children.forEach((name, child) -> {
                if (!(root && name.startsWith("$"))) {
                    match(child, levels, i + 1, sink);
                }
            });
        } else {
            Node child = node.children.get(level);
            if (child != null) {
                match(child, levels, i + 1, sink);
            }
        }
    }

    private static void emit(Node node, Consumer<Publication> sink) {
        Publication m = node.message;
        if (m != null) {
            sink.accept(m);
        }
    }

    private static void emitSubtree(Node node, Consumer<Publication> sink) {
        emit(node, sink);
        node.children.values().forEach(child -> emitSubtree(child, sink));
    }
}
