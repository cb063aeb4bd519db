package org.wrenmq.broker.routing;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Every subscription of every session, in a trie with one level of the filter per node.
 *
 * <p>Matching a topic walks the trie with the topic's levels: at each node it follows the child named like the
 * level, the '+' child, and collects the '#' child (which also matches the parent level: "a/#" matches "a").
 * That costs a few hash lookups per level, whatever the number of subscriptions. Children are concurrent maps,
 * so matching takes no lock and runs on every event loop at once; changes (subscribe, unsubscribe) are
 * serialised on the tree, which also lets unsubscribe prune empty nodes safely.
 */
public final class SubscriptionTree {

    /** Receives what a topic matched. Called on the publishing thread. */
    public interface Visitor {
        void subscription(Subscription s);

        void sharedGroup(SharedGroup group);
    }

    private static final class Node {
        final Map<String, Node> children = new ConcurrentHashMap<>(4);
        final Map<Subscriber, Subscription> subscribers = new ConcurrentHashMap<>(4);
        final Map<String, SharedGroup> groups = new ConcurrentHashMap<>(2);

        boolean isEmpty() {
            return children.isEmpty() && subscribers.isEmpty() && groups.isEmpty();
        }
    }

    private final Node root = new Node();

    /** Adds or replaces the session's subscription on its filter. @return the one it replaced, or null */
    public synchronized Subscription add(Subscription s) {
        Node node = root;
        for (String level : Topics.levels(s.topicFilter())) {
            node = node.children.computeIfAbsent(level, l -> new Node());
        }
        if (s.shareGroup() == null) {
            return node.subscribers.put(s.session(), s);
        }
        return node.groups.computeIfAbsent(s.shareGroup(), g -> new SharedGroup()).put(s);
    }

    /** @return whether the session had that subscription */
    public synchronized boolean remove(Subscriber session, String topicFilter, String shareGroup) {
        String[] levels = Topics.levels(topicFilter);
        List<Node> path = new ArrayList<>(levels.length + 1);
        Node node = root;
        path.add(node);
        for (String level : levels) {
            node = node.children.get(level);
            if (node == null) {
                return false;
            }
            path.add(node);
        }
        boolean removed;
        if (shareGroup == null) {
            removed = node.subscribers.remove(session) != null;
        } else {
            SharedGroup group = node.groups.get(shareGroup);
            removed = group != null && group.remove(session);
            if (group != null && group.isEmpty()) {
                node.groups.remove(shareGroup);
            }
        }
        for (int i = levels.length; i > 0 && path.get(i).isEmpty(); i--) {
            path.get(i - 1).children.remove(levels[i - 1]);
        }
        return removed;
    }

    /** @return the members of a shared subscription group on {@code topicFilter}, or null if none */
    public SharedGroup group(String topicFilter, String shareGroup) {
        Node node = root;
        for (String level : Topics.levels(topicFilter)) {
            node = node.children.get(level);
            if (node == null) {
                return null;
            }
        }
        return node.groups.get(shareGroup);
    }

    public void match(String topic, Visitor visitor) {
        String[] levels = Topics.levels(topic);
        match(root, levels, 0, topic.startsWith("$"), visitor);
    }

    private static void match(Node node, String[] levels, int i, boolean dollarTopic, Visitor visitor) {
        if (i == levels.length) {
            visit(node, visitor);
            Node hash = node.children.get("#");
            if (hash != null) {
                visit(hash, visitor);
            }
            return;
        }
        if (!(i == 0 && dollarTopic)) {
            Node hash = node.children.get("#");
            if (hash != null) {
                visit(hash, visitor);
            }
            Node plus = node.children.get("+");
            if (plus != null) {
                match(plus, levels, i + 1, dollarTopic, visitor);
            }
        }
        Node exact = node.children.get(levels[i]);
        if (exact != null) {
            match(exact, levels, i + 1, dollarTopic, visitor);
        }
    }

    private static void visit(Node node, Visitor visitor) {
        if (!node.subscribers.isEmpty()) {
            node.subscribers.values().forEach(visitor::subscription);
        }
        if (!node.groups.isEmpty()) {
            node.groups.values().forEach(visitor::sharedGroup);
        }
    }
}
