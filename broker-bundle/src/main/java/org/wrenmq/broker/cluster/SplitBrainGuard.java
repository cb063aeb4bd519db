package org.wrenmq.broker.cluster;

import com.hazelcast.cluster.MembershipEvent;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.atomic.LongAdder;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Whether this node's side of the cluster may take over the nodes that left: adopt their persistent sessions, free
 * their client ids and drop their subscription filters. A node cannot tell a node that died from one it no longer
 * reaches (a split brain): on the side of a split that holds fewer than a majority of the nodes named in
 * {@code cluster_members} (itself counted), the node keeps serving its own clients but takes nothing over, so that
 * only one side, the majority, adopts a session. A cluster of two cannot have a majority without both nodes: there
 * the survivor takes over (a dead node is more likely than a cut network, and a session left unadopted until the
 * node comes back is worse); after a split of two nodes both may hold a session until they merge
 * ({@link SplitBrainMerge}). Nor does a node take over just after this JVM was paused long enough for the others to
 * take it for dead ({@link PauseWatch}): going on, it loses them one member list at a time and would otherwise see
 * a passing majority.
 */
final class SplitBrainGuard {
    private static final Logger LOG = LoggerFactory.getLogger(SplitBrainGuard.class);

    /** The members a side needs to take over the nodes that left. */
    private final int quorum;
    private final int nodes;
    private final ClusterCounters counters;
    private final PauseWatch pauses;
    /** This side is a minority: counted and logged once per split. */
    private final Refusal minority;
    /** This node came out of a pause: counted and logged once per pause. */
    private final Refusal paused;

    SplitBrainGuard(List<String> members, String self, ClusterCounters counters, PauseWatch pauses) {
        Set<String> all = new LinkedHashSet<>(members);
        all.add(self);
        this.nodes = all.size();
        this.quorum = quorum(nodes);
        this.counters = counters;
        this.pauses = pauses;
        this.minority = new Refusal(counters.splitMinority);
        this.paused = new Refusal(counters.splitPaused);
    }

    /** A strict majority of {@code nodes}; 1 for a cluster of one or two. */
    static int quorum(int nodes) {
        return nodes <= 2 ? 1 : nodes / 2 + 1;
    }

    /**
     * A node left: whether this side may take it over (else it is counted and logged once per split, or per pause of
     * this node: see {@link PauseWatch}).
     */
    boolean mayTakeOver(MembershipEvent event) {
        int members = sideSize(event);
        if (members < quorum) {
            return minority.refuse(() -> LOG.warn("cluster: split brain? this node sees {} of the {} nodes of "
                    + "cluster_members, fewer than the {} a side needs: it serves its own clients, but adopts no "
                    + "session and frees no client id of the nodes that left until the cluster is whole again",
                    members, nodes, quorum));
        }
        long pausedMillis = pauses.recentPauseMillis();
        if (pausedMillis == 0) {
            paused.over();
            return true;
        }
        return paused.refuse(() -> LOG.warn("cluster: this node was paused for {} ms (a long GC pause, a stopped "
                + "process or VM): the others may have taken it for dead, so it adopts no session and frees no "
                + "client id of the nodes that leave now", pausedMillis));
    }

    /** A reason to refuse take-overs that lasts a while: each refusal counted, the reason counted and logged once. */
    private final class Refusal {
        private final LongAdder times;
        private volatile boolean noted;

        Refusal(LongAdder times) {
            this.times = times;
        }

        /** @return false: the take-over is refused */
        boolean refuse(Runnable logLine) {
            counters.splitTakeoversRefused.increment();
            if (!noted) {
                noted = true;
                times.increment();
                logLine.run();
            }
            return false;
        }

        /** The reason is gone: the next refusal is counted and logged anew. */
        void over() {
            noted = false;
        }
    }

    /**
     * The members on this side: the fewer of the event's and the cluster's now. A member list that drops two nodes
     * at once comes as one event per node, the first still listing the second: a node that lost both others at once
     * (as the master frozen by SIGSTOP finds after SIGCONT, ClusterSplitBrainIT) saw a passing majority of 2 of 3 in
     * it and adopted the first one's sessions. The cluster's list is already the new one when the events come.
     */
    private static int sideSize(MembershipEvent event) {
        int members = event.getMembers().size();
        return event.getCluster() == null ? members : Math.min(members, event.getCluster().getMembers().size());
    }

    /** Whether this node is on a minority side now. */
    boolean minority() {
        return minority.noted;
    }

    /** This side merged back into the other after a split brain. */
    void merged() {
        minority.over();
        counters.splitMerged.increment();
    }
}
