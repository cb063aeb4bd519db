package org.wrenmq.broker.cluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.hazelcast.cluster.Address;
import com.hazelcast.cluster.Cluster;
import com.hazelcast.cluster.Member;
import com.hazelcast.cluster.MembershipEvent;
import com.hazelcast.cluster.impl.MemberImpl;
import com.hazelcast.version.MemberVersion;
import java.lang.reflect.Proxy;
import java.net.UnknownHostException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.wrenmq.broker.mqtt5.Paho5;

@DisplayName("the members a side of a split brain needs to take over the nodes it lost")
class SplitBrainGuardTests {
    @TempDir
    Path stores;

    @Test
    @DisplayName("a strict majority of the nodes of cluster_members, itself counted; one in a cluster of two")
    void quorum() {
        assertThat(SplitBrainGuard.quorum(1)).isEqualTo(1);
        assertThat(SplitBrainGuard.quorum(2)).as("the survivor of two adopts").isEqualTo(1);
        assertThat(SplitBrainGuard.quorum(3)).isEqualTo(2);
        assertThat(SplitBrainGuard.quorum(4)).as("2 of 4 is no majority").isEqualTo(3);
        assertThat(SplitBrainGuard.quorum(5)).isEqualTo(3);
    }

    @Test
    @DisplayName("a node of three that loses both others in one member list adopts neither: the first node-left "
            + "event still lists the second node, the cluster's list no longer does")
    void bothOthersLeftInOneMemberList() throws UnknownHostException {
        Member self = member(5701, true);
        Member first = member(5702, false);
        Member second = member(5703, false);
        ClusterCounters counters = new ClusterCounters();
        SplitBrainGuard guard = guardOfThree(counters, new PauseWatch(60, () -> 0L));
        Cluster aloneNow = clusterOf(Set.of(self));

        boolean takeOverFirst = guard.mayTakeOver(new MembershipEvent(aloneNow, first,
                MembershipEvent.MEMBER_REMOVED, new LinkedHashSet<>(List.of(self, second))));
        boolean takeOverSecond = guard.mayTakeOver(new MembershipEvent(aloneNow, second,
                MembershipEvent.MEMBER_REMOVED, Set.of(self)));

        assertThat(takeOverFirst).as("2 of 3 in the event, 1 in the cluster").isFalse();
        assertThat(takeOverSecond).isFalse();
        assertThat(guard.minority()).isTrue();
        assertThat(counters.splitTakeoversRefused.sum()).isEqualTo(2);
    }

    @Test
    @DisplayName("a node paused for longer than two thirds of the heartbeat timeout (a GC pause, SIGSTOP) adopts "
            + "nothing for one timeout after, though it sees a majority; then it takes over again")
    void pausedNodeAdoptsNothingForAWhile() throws UnknownHostException {
        AtomicLong clock = new AtomicLong();
        PauseWatch pauses = new PauseWatch(6, clock::get);
        ClusterCounters counters = new ClusterCounters();
        SplitBrainGuard guard = guardOfThree(counters, pauses);
        Member self = member(5701, true);
        Member second = member(5703, false);
        Set<Member> twoOfThree = new LinkedHashSet<>(List.of(self, second));
        MembershipEvent firstLeft = new MembershipEvent(clusterOf(twoOfThree), member(5702, false),
                MembershipEvent.MEMBER_REMOVED, twoOfThree);
        running(pauses, clock, 3);
        assertThat(guard.mayTakeOver(firstLeft)).as("running, ticking every %d ms", PauseWatch.TICK_MILLIS).isTrue();

        clock.addAndGet(TimeUnit.SECONDS.toNanos(10));
        assertThat(guard.mayTakeOver(firstLeft)).as("just out of a pause of 10 s, before the next tick").isFalse();
        running(pauses, clock, 5);
        assertThat(guard.mayTakeOver(firstLeft)).as("5 s after the pause").isFalse();
        running(pauses, clock, 2);
        assertThat(guard.mayTakeOver(firstLeft)).as("more than a heartbeat timeout (6 s) after the pause").isTrue();

        assertThat(counters.splitPaused.sum()).as("one pause, counted once").isEqualTo(1);
        assertThat(counters.splitTakeoversRefused.sum()).isEqualTo(2);
        assertThat(guard.minority()).isFalse();
    }

    /** The watch's timer ticking as it does on a running node, for {@code seconds} of {@code clock}. */
    private static void running(PauseWatch pauses, AtomicLong clock, int seconds) {
        for (long i = 0; i < seconds * 1000 / PauseWatch.TICK_MILLIS; i++) {
            clock.addAndGet(TimeUnit.MILLISECONDS.toNanos(PauseWatch.TICK_MILLIS));
            pauses.tick();
        }
    }

    /** A cluster whose member list is {@code members} now. */
    private static Cluster clusterOf(Set<Member> members) {
        return (Cluster) Proxy.newProxyInstance(Cluster.class.getClassLoader(), new Class<?>[] {Cluster.class},
                (proxy, method, args) -> {
                    assertThat(method.getName()).as("only the member list is read").isEqualTo("getMembers");
                    return members;
                });
    }

    private static SplitBrainGuard guardOfThree(ClusterCounters counters, PauseWatch pauses) {
        return new SplitBrainGuard(List.of("127.0.0.1:5701", "127.0.0.1:5702", "127.0.0.1:5703"), "127.0.0.1:5701",
                counters, pauses);
    }

    private static Member member(int port, boolean local) throws UnknownHostException {
        return new MemberImpl(new Address("127.0.0.1", port), MemberVersion.of("5.7.0"), local);
    }

    @Test
    @Timeout(120)
    @DisplayName("in a cluster of two, the survivor of a kill -9 adopts the dead node's persistent session")
    void survivorOfTwoAdopts() throws Exception {
        try (ThreeNodes cluster = ThreeNodes.withStores("two-nodes", 2, stores);
             NodeClients clients = new NodeClients(() -> null)) {
            int survivor = cluster.oldest();
            int dying = 1 - survivor;
            Paho5 first = new Paho5(cluster.port(dying), "of-two");
            first.connect(NodeClients.persistent());
            first.subscribe("two/t", 1);
            first.disconnect();
            first.close();
            await().atMost(Duration.ofSeconds(30)).until(() -> !cluster.session(dying, "of-two").connected());

            cluster.kill(dying);
            await().atMost(Duration.ofSeconds(30)).until(() -> cluster.counter(survivor, "cluster.sessions.adopted") == 1);
            assertThat(cluster.counter(survivor, "cluster.split_brain.minority")).isZero();
            Paho5 resumed = clients.add(new Paho5(cluster.port(survivor), "of-two"));
            assertThat(resumed.connect(NodeClients.persistent()).getSessionPresent()).isTrue();
        }
    }
}
