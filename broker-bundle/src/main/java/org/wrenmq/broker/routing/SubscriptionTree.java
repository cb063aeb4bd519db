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
 * That costs a few hash lookups per level, whatever the number of subscriptions. Children are in concurrent maps,
 * so matching takes no lock and runs on every event loop at once; changes (subscribe, unsubscribe) are
 * serialised on the tree, which also lets unsubscribe prune empty nodes safely.
 *
 * <p>A node holds its only child, and its only subscription, directly, and makes a map only for the second:
 * on most filters' paths a node has one child or one subscriber, and a concurrent map with one entry costs about
 * 120 bytes, a quarter of what a subscription should cost in all. Shared groups get a map when the first comes.
 * A node drops what empties.
 */
public final class SubscriptionTree {

    /** Receives what a topic matched. Called on the publishing thread. */
    public interface Visitor {
        void subscription(Subscription s);

        void sharedGroup(SharedGroup group);
    }

    /** Children and subscribers are written under the tree's lock and read without it. */
    private static final class Node {
        /** This node's level of the filter: its key in its parent. */
        final String level;
        /** null, the only child (a Node), or from the second child on a ConcurrentHashMap of level to Node. */
        private volatile Object children;
        /** null, the only subscription, or from the second on a ConcurrentHashMap of Subscriber to Subscription. */
        private volatile Object subscribers;
        volatile Map<String, SharedGroup> groups;

        Node(String level) {
            this.level = level;
        }

        @SuppressWarnings("unchecked")
        Node child(String level) {
            Object c = children;
            if (c instanceof Node only) {
                return only.level.equals(level) ? only : null;
            }
            return c == null ? null : ((Map<String, Node>) c).get(level);
        }

        /** Under the tree's lock. */
        @SuppressWarnings("unchecked")
        Node childOrNew(String level) {
            Node existing = child(level);
            if (existing != null) {
                return existing;
            }
            Node made = new Node(level);
            Object c = children;
            if (c == null) {
                children = made;
            } else if (c instanceof Node only) {
                Map<String, Node> map = new ConcurrentHashMap<>(4);
                map.put(only.level, only);
                map.put(level, made);
                children = map;
            } else {
                ((Map<String, Node>) c).put(level, made);
            }
            return made;
        }

        /** Under the tree's lock. */
        @SuppressWarnings("unchecked")
        void removeChild(String level) {
            Object c = children;
            if (c instanceof Node only) {
                if (only.level.equals(level)) {
                    children = null;
                }
            } else if (c != null) {
                Map<String, Node> map = (Map<String, Node>) c;
                map.remove(level);
                if (map.size() <= 1) {
                    children = map.isEmpty() ? null : map.values().iterator().next();
                }
            }
        }

        /** Under the tree's lock. @return the subscription of the same session it replaced, or null */
        @SuppressWarnings("unchecked")
        Subscription putSubscriber(Subscription s) {
            Object c = subscribers;
            if (c == null) {
                subscribers = s;
                return null;
            }
            if (c instanceof Subscription only) {
                if (only.session().equals(s.session())) {
                    subscribers = s;
                    return only;
                }
                Map<Subscriber, Subscription> map = new ConcurrentHashMap<>(4);
                map.put(only.session(), only);
                map.put(s.session(), s);
                subscribers = map;
                return null;
            }
            return ((Map<Subscriber, Subscription>) c).put(s.session(), s);
        }

        /** Under the tree's lock. @return whether the session had a subscription here */
        @SuppressWarnings("unchecked")
        boolean removeSubscriber(Subscriber session) {
            Object c = subscribers;
            if (c instanceof Subscription only) {
                if (!only.session().equals(session)) {
                    return false;
                }
                subscribers = null;
                return true;
            }
            if (c == null) {
                return false;
            }
            Map<Subscriber, Subscription> map = (Map<Subscriber, Subscription>) c;
            boolean removed = map.remove(session) != null;
            if (map.size() <= 1) {
                subscribers = map.isEmpty() ? null : map.values().iterator().next();
            }
            return removed;
        }

        @SuppressWarnings("unchecked")
        void visitSubscribers(Visitor visitor) {
            Object c = subscribers;
            if (c instanceof Subscription only) {
                visitor.subscription(only);
            } else if (c != null) {
                ((Map<Subscriber, Subscription>) c).values().forEach(visitor::subscription);
            }
        }

        /** Under the tree's lock. */
        Map<String, SharedGroup> groups() {
            if (groups == null) {
                groups = new ConcurrentHashMap<>(1);
            }
            return groups;
        }

        /** Under the tree's lock: drops the group map if it emptied; true when nothing is left. */
        boolean trimAndCheckEmpty() {
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

    private final Node root = new Node("");
    private Observer observer;

    /** Sets who is told about filters gaining their first and losing their last subscriber. */
    public synchronized void observe(Observer observer) {
        this.observer = observer;
    }

    /** Adds or replaces the session's subscription on its filter. @return the one it replaced, or null */
    public synchronized Subscription add(Subscription s) {
        Node node = root;
        for (String level : Topics.levels(s.topicFilter())) {
            node = node.childOrNew(level);
        }
        boolean first = observer != null && (s.shareGroup() == null ? node.subscribers == null
                : node.groups == null || !node.groups.containsKey(s.shareGroup()));
        Subscription old = s.shareGroup() == null ? node.putSubscriber(s)
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
            removed = node.removeSubscriber(session);
            last = removed && node.subscribers == null;
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
            path.get(i - 1).removeChild(levels[i - 1]);
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
        node.visitSubscribers(visitor);
        Map<String, SharedGroup> groups = node.groups;
        if (groups != null) {
            groups.values().forEach(visitor::sharedGroup);
        }
    }
}
