package org.wrenmq.broker.routing;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.wrenmq.api.QoS;

class SubscriptionTreeTest {
    private final SubscriptionTree tree = new SubscriptionTree();
    private final FakeSubscriber alice = new FakeSubscriber("alice");
    private final FakeSubscriber bob = new FakeSubscriber("bob");

    @Test
    void aSubscriptionOnTheSameFilterReplacesTheOldOne() {
        Subscription first = Subscription.of(alice, "a/b", QoS.AT_MOST_ONCE);
        assertThat(tree.add(first)).isNull();

        assertThat(tree.add(Subscription.of(alice, "a/b", QoS.EXACTLY_ONCE))).isEqualTo(first);
        assertThat(matches("a/b")).extracting(Subscription::qos).containsExactly(QoS.EXACTLY_ONCE);
    }

    @Test
    void removedSubscriptionsNoLongerMatchAndOthersStay() {
        tree.add(Subscription.of(alice, "a/+", QoS.AT_LEAST_ONCE));
        tree.add(Subscription.of(bob, "a/+", QoS.AT_LEAST_ONCE));

        assertThat(tree.remove(alice, "a/+", null)).isTrue();
        assertThat(tree.remove(alice, "a/+", null)).isFalse();
        assertThat(tree.remove(alice, "never/subscribed", null)).isFalse();
        assertThat(matches("a/x")).extracting(s -> s.session().clientId()).containsExactly("bob");
    }

    @Test
    void aSharedGroupMatchesOnceAndRoundRobinsItsMembers() {
        tree.add(new Subscription(alice, "jobs/+", "workers", QoS.AT_LEAST_ONCE, false, false, 0, 0));
        tree.add(new Subscription(bob, "jobs/+", "workers", QoS.AT_LEAST_ONCE, false, false, 0, 0));
        List<SharedGroup> groups = new ArrayList<>();

        tree.match("jobs/1", visitor(new ArrayList<>(), groups));

        assertThat(groups).hasSize(1);
        SharedGroup group = groups.get(0);
        assertThat(List.of(group.pick().session(), group.pick().session())).containsExactlyInAnyOrder(alice, bob);
    }

    @Test
    void aSharedGroupPrefersOnlineMembers() {
        tree.add(new Subscription(alice, "jobs", "workers", QoS.AT_LEAST_ONCE, false, false, 0, 0));
        tree.add(new Subscription(bob, "jobs", "workers", QoS.AT_LEAST_ONCE, false, false, 0, 0));
        alice.online = false;

        SharedGroup group = tree.group("jobs", "workers");

        for (int i = 0; i < 4; i++) {
            assertThat(group.pick().session()).isEqualTo(bob);
        }
        assertThat(group.pickOtherThan(bob)).isNull();
    }

    @Test
    void removingTheLastMemberRemovesTheGroup() {
        tree.add(new Subscription(alice, "jobs", "workers", QoS.AT_LEAST_ONCE, false, false, 0, 0));

        assertThat(tree.remove(alice, "jobs", "workers")).isTrue();

        assertThat(tree.group("jobs", "workers")).isNull();
    }

    private List<Subscription> matches(String topic) {
        List<Subscription> out = new ArrayList<>();
        tree.match(topic, visitor(out, new ArrayList<>()));
        return out;
    }

    static SubscriptionTree.Visitor visitor(List<Subscription> subscriptions, List<SharedGroup> groups) {
        return new SubscriptionTree.Visitor() {
            @Override
            public void subscription(Subscription s) {
                subscriptions.add(s);
            }

            @Override
            public void sharedGroup(SharedGroup group) {
                groups.add(group);
            }
        };
    }
}
