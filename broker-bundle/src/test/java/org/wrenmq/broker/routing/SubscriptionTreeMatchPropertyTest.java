package org.wrenmq.broker.routing;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.wrenmq.api.QoS;

/**
 * Property: for random filters (plain and {@code $share/GROUP/...}) and random topics (some starting with '$'),
 * the trie's match finds exactly what a naive matcher, written from the spec's words, finds by trying every
 * filter. Each seed is one generated case; a failure names its seed so it can be replayed.
 */
class SubscriptionTreeMatchPropertyTest {
    private static final String[] LEVELS = {"a", "b", "c", "", "$SYS", "$x"};
    private static final String[] GROUPS = {"g1", "g2"};

    static Stream<Long> seeds() {
        return new Random(20_261_203L).longs(300).boxed();
    }

    @ParameterizedTest
    @MethodSource("seeds")
    void treeMatchAgreesWithANaiveMatcher(long seed) {
        Random random = new Random(seed);
        SubscriptionTree tree = new SubscriptionTree();
        List<Subscription> all = new ArrayList<>();
        for (int i = 0; i < 1 + random.nextInt(30); i++) {
            FakeSubscriber who = new FakeSubscriber("c" + random.nextInt(8));
            String filter = randomFilter(random);
            String group = random.nextInt(4) == 0 ? GROUPS[random.nextInt(GROUPS.length)] : null;
            Subscription s = new Subscription(who, filter, group, QoS.AT_MOST_ONCE, false, false, 0, 0);
            tree.add(s);
            all.add(s);
        }
        for (int t = 0; t < 20; t++) {
            String topic = randomTopic(random);
            assertThat(treeMatch(tree, topic)).as("seed %d, topic '%s'", seed, topic)
                    .isEqualTo(naiveMatch(all, topic));
        }
    }

    /** What the tree found: "filter" for plain subscriptions, "$share/group/filter" once per matched group. */
    private static Set<String> treeMatch(SubscriptionTree tree, String topic) {
        Set<String> found = new HashSet<>();
        Map<SharedGroup, Boolean> groups = new IdentityHashMap<>();
        List<Subscription> plain = new ArrayList<>();
        List<SharedGroup> shared = new ArrayList<>();
        tree.match(topic, SubscriptionTreeTest.visitor(plain, shared));
        plain.forEach(s -> found.add(s.session().clientId() + " " + s.asSubscribed()));
        for (SharedGroup g : shared) {
            assertThat(groups.put(g, true)).as("a group is visited once").isNull();
            found.add(g.pick().asSubscribed());
        }
        return found;
    }

    private static Set<String> naiveMatch(List<Subscription> all, String topic) {
        Set<String> found = new HashSet<>();
        for (Subscription s : all) {
            if (naiveMatches(s.topicFilter(), topic)) {
                found.add(s.shareGroup() == null ? s.session().clientId() + " " + s.asSubscribed() : s.asSubscribed());
            }
        }
        return found;
    }

    /** The spec, level by level: '+' is one level, '#' is this level and all below, '$' topics need a literal start. */
    static boolean naiveMatches(String filter, String topic) {
        String[] f = filter.split("/", -1);
        String[] t = topic.split("/", -1);
        if (topic.startsWith("$") && (f[0].equals("+") || f[0].equals("#"))) {
            return false;
        }
        int i = 0;
        for (; i < f.length; i++) {
            if (f[i].equals("#")) {
                return true;
            }
            if (i == t.length) {
                return false;
            }
            if (!f[i].equals("+") && !f[i].equals(t[i])) {
                return false;
            }
        }
        return i == t.length;
    }

    private static String randomFilter(Random random) {
        int n = 1 + random.nextInt(4);
        StringBuilder b = new StringBuilder();
        for (int i = 0; i < n; i++) {
            if (i > 0) {
                b.append('/');
            }
            int pick = random.nextInt(10);
            if (pick == 0 && i == n - 1) {
                b.append('#');
            } else if (pick <= 2) {
                b.append('+');
            } else {
                b.append(LEVELS[random.nextInt(i == 0 ? LEVELS.length : 4)]);
            }
        }
        return b.toString();
    }

    private static String randomTopic(Random random) {
        int n = 1 + random.nextInt(4);
        StringBuilder b = new StringBuilder();
        for (int i = 0; i < n; i++) {
            if (i > 0) {
                b.append('/');
            }
            b.append(LEVELS[random.nextInt(i == 0 ? LEVELS.length : 4)]);
        }
        return b.toString();
    }
}
