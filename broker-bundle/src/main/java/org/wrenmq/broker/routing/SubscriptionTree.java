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
 *
 * <p>A node makes each of its three maps only when the first entry for it comes, and drops it when it empties:
 * a node on a filter's path has children or subscribers, rarely both and hardly ever shared groups, and an
 * empty concurrent map costs 64 bytes, a fifth of what a subscription should cost in all.
 */
public final class SubscriptionTree {

    /** Receives what a topic matched. Called on the publishing thread. */
    public interface Visitor {
        void subscription(Subscription s);

        void sharedGroup(SharedGroup group);
    }

    /** Maps are null until needed; they are made and dropped under the tree's lock, read without it. */
    private static final class Node {
        volatile Map<String, Node> children;
        volatile Map<Subscriber, Subscription> subscribers;
        volatile Map<String, SharedGroup> groups;

        Node child(String level) {
            Map<String, Node> c = children;
            return c == null ? null : c.get(level);
        }

        /** Under the tree's lock. */
        Map<String, Node> children() {
            if (children == null) {
                children = new ConcurrentHashMap<>(2);
            }
            return children;
        }

        /** Under the tree's lock. */
        Map<Subscriber, Subscription> subscribers() {
            if (subscribers == null) {
                subscribers = new ConcurrentHashMap<>(1);
            }
            return subscribers;
        }

        /** Under the tree's lock. */
        Map<String, SharedGroup> groups() {
            if (groups == null) {
                groups = new ConcurrentHashMap<>(1);
            }
            return groups;
        }

        /** Under the tree's lock: drops the maps that emptied; true when nothing is left. */
        boolean trimAndCheckEmpty() {
            if (children != null && children.isEmpty()) {
                children = null;
            }
            if (subscribers != null && subscribers.isEmpty()) {
                subscribers = null;
            }
            if (groups != null && groups.isEmpty()) {
                groups = null;
            }
            return children == null && subscribers == null && groups == null;
        }
    }

    /**
     * Told of each filter that gains its first subscriber or loses its last one (a cluster node tells the others
     * which filters it has). Called under the tree's lock, so it sees changes in order; must be quick.
     */
    public interface Observer {
        void firstSubscriber(String topicFilter, String shareGroup);

        void lastSubscriberGone(String topicFilter, String shareGroup);
    }

    private final Node root = new Node();
    private Observer observer;

    /** Sets who is told about filters gaining their first and losing their last subscriber. */
    public synchronized void observe(Observer observer) {
        this.observer = observer;
    }

    /** Adds or replaces the session's subscription on its filter. @return the one it replaced, or null */
    public synchronized Subscription add(Subscription s) {
        Node node = root;
        for (String level : Topics.levels(s.topicFilter())) {
            node = node.children().computeIfAbsent(level, l -> new Node());
        }
        boolean first = observer != null && (s.shareGroup() == null ? node.subscribers == null || node.subscribers.isEmpty()
                : node.groups == null || !node.groups.containsKey(s.shareGroup()));
        Subscription old = s.shareGroup() == null ? node.subscribers().put(s.session(), s)
                : node.groups().computeIfAbsent(s.shareGroup(), g -> new SharedGroup()).put(s);
        if (first) {
            observer.firstSubscriber(s.topicFilter(), s.shareGroup());
        }
        return old;
    }

    /** @return whether the session had that subscription */
    public synchronized boolean remove(Subscriber session, String topicFilter, String shareGroup) {
        String[] levels = Topics.levels(topicFilter);
        List<Node> path = new ArrayList<>(levels.length + 1);
        Node node = root;
        path.add(node);
        for (String level : levels) {
            node = node.child(level);
            if (node == null) {
                return false;
            }
            path.add(node);
        }
        boolean removed;
        boolean last;
        if (shareGroup == null) {
            removed = node.subscribers != null && node.subscribers.remove(session) != null;
            last = removed && node.subscribers.isEmpty();
        } else {
            SharedGroup group = node.groups == null ? null : node.groups.get(shareGroup);
            removed = group != null && group.remove(session);
            last = removed && group.isEmpty();
            if (group != null && group.isEmpty()) {
                node.groups.remove(shareGroup);
            }
        }
        if (last && observer != null) {
            observer.lastSubscriberGone(topicFilter, shareGroup);
        }
        for (int i = levels.length; i > 0 && path.get(i).trimAndCheckEmpty(); i--) {
            path.get(i - 1).children.remove(levels[i - 1]);
        }
        path.get(0).trimAndCheckEmpty();
        return removed;
    }

    /** @return the members of a shared subscription group on {@code topicFilter}, or null if none */
    public SharedGroup group(String topicFilter, String shareGroup) {
        Node node = root;
        for (String level : Topics.levels(topicFilter)) {
            node = node.child(level);
            if (node == null) {
                return null;
            }
        }
        Map<String, SharedGroup> groups = node.groups;
        return groups == null ? null : groups.get(shareGroup);
    }

    public void match(String topic, Visitor visitor) {
        String[] levels = Topics.levels(topic);
        match(root, levels, 0, topic.startsWith("$"), visitor);
    }

    private static void match(Node node, String[] levels, int i, boolean dollarTopic, Visitor visitor) {
        if (i == levels.length) {
            visit(node, visitor);
            Node hash = node.child("#");
            if (hash != null) {
                visit(hash, visitor);
            }
            return;
        }
        if (!(i == 0 && dollarTopic)) {
            Node hash = node.child("#");
            if (hash != null) {
                visit(hash, visitor);
            }
            Node plus = node.child("+");
            if (plus != null) {
                match(plus, levels, i + 1, dollarTopic, visitor);
            }
        }
        Node exact = node.child(levels[i]);
        if (exact != null) {
            match(exact, levels, i + 1, dollarTopic, visitor);
        }
    }

    private static void visit(Node node, Visitor visitor) {
        Map<Subscriber, Subscription> subscribers = node.subscribers;
        if (subscribers != null) {
            subscribers.values().forEach(visitor::subscription);
        }
        Map<String, SharedGroup> groups = node.groups;
        if (groups != null) {
            groups.values().forEach(visitor::sharedGroup);
        }
    }
}
