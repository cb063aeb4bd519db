package org.wrenmq.broker.cluster;

import com.hazelcast.cluster.MembershipEvent;
import com.hazelcast.cluster.MembershipListener;
import com.hazelcast.core.HazelcastInstance;
import com.hazelcast.core.LifecycleEvent;
import com.hazelcast.spi.properties.ClusterProperty;
import com.hazelcast.spi.properties.HazelcastProperties;
import io.netty.util.concurrent.EventExecutor;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.wrenmq.broker.ClusterConfig;
import org.wrenmq.broker.routing.RetainedTree;
import org.wrenmq.broker.routing.Router;
import org.wrenmq.broker.routing.SubscriptionTree;
import org.wrenmq.broker.session.Session;
import org.wrenmq.broker.session.SessionServices;
import org.wrenmq.broker.store.MessageStore;
import org.wrenmq.broker.store.StoredEntry;
import org.wrenmq.broker.store.StoredSession;

/**
 * This broker as one node of a WrenMQ cluster: a Hazelcast member (joined through {@code cluster_members}), the
 * subscription directory, the forwarding of messages to other nodes and the cluster-wide retained messages. Made
 * only when {@code cluster_name} is set: a single broker never loads a Hazelcast class.
 */
public final class ClusterNode implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(ClusterNode.class);

    private final HazelcastInstance hazelcast;
    private final SubscriptionDirectory directory;
    private final ClusterCounters counters = new ClusterCounters();
    private final Router router;
    private final ClientOwners clientOwners;
    private final ClusterWriter writer = new ClusterWriter();
    /** Null when the node keeps no persistent sessions ({@code persistence false}). */
    private final SessionMirror mirror;
    private final SessionAdoption adoption;
    private final MessageStore sessionStore;
    /** Null without a mirror. */
    private final InboxProgress progress;
    private final Takeovers takeovers = new Takeovers();
    private final MoveBarrier moveBarrier;
    private final SessionMoves moves;
    private final SplitBrainGuard guard;
    private final PauseWatch pauses;
    private final SplitBrainMerge merge;
    /** Null without persistence. */
    private final SplitHandOver splitHandOver;

    /** This node's windows towards the others, and its reports to them of what it routed. */
    private final ForwardingWindows windows;
    private final ForwardingProgress forwardingProgress;

    private ClusterNode(HazelcastInstance hazelcast, Router router, SessionServices sessions,
                        Supplier<EventExecutor> loops, ClusterConfig config) {
        int maxInflightMessages = config.maxInflightMessages();
        this.hazelcast = hazelcast;
        this.router = router;
        this.windows = new ForwardingWindows(maxInflightMessages, counters);
        this.forwardingProgress = new ForwardingProgress(hazelcast, maxInflightMessages, allOf(loops));
        this.directory = new SubscriptionDirectory(hazelcast, counters, writer, windows);
        this.sessionStore = sessions.store();
        this.mirror = sessionStore instanceof MirroredStore ? new SessionMirror(hazelcast) : null;
        this.moveBarrier = new MoveBarrier(hazelcast, directory, loops);
        AdoptedCopies adoptedCopies = new AdoptedCopies();
        this.moves = new SessionMoves(hazelcast, sessions, counters, mirror, takeovers, moveBarrier, directory,
                adoptedCopies);
        this.clientOwners = new ClientOwners(hazelcast, sessions.sessions(), counters, writer, moves);
        if (sessionStore instanceof MirroredStore store) {
            store.connect(mirror, writer, counters);
            this.adoption = new SessionAdoption(hazelcast, mirror, sessions, loops, counters, writer, takeovers,
                    adoptedCopies);
            this.progress = new InboxProgress(hazelcast, store);
        } else {
            this.adoption = null;
            this.progress = null;
        }
        this.pauses = PauseWatch.started(
                new HazelcastProperties(hazelcast.getConfig()).getSeconds(ClusterProperty.MAX_NO_HEARTBEAT_SECONDS));
        this.guard = new SplitBrainGuard(config.members(), config.bindAddress() + ":" + config.port(), counters,
                pauses);
        this.splitHandOver = mirror == null ? null
                : new SplitHandOver(hazelcast, sessions.sessions(), adoptedCopies, moves, counters);
        this.merge = new SplitBrainMerge(hazelcast, sessions.sessions(), mirror, splitHandOver, counters);
    }

    /** Every event loop {@code loops} hands out: it goes round them, so until it gives the first one again. */
    private static List<EventExecutor> allOf(Supplier<EventExecutor> loops) {
        List<EventExecutor> all = new ArrayList<>();
        EventExecutor first = loops.get();
        for (EventExecutor next = first; all.size() < 1024 && (all.isEmpty() || next != first); next = loops.get()) {
            all.add(next);
        }
        return all;
    }

    /**
     * The store a cluster node uses: {@code local}, with its persistent sessions also kept in the cluster so that
     * a survivor adopts them when this node dies. A store that keeps nothing ({@code persistence false}) stays as
     * it is.
     */
    public static MessageStore mirrored(MessageStore local) {
        return local.durable() ? new MirroredStore(local) : local;
    }

    /**
     * Joins the cluster and connects this broker's routing to it. Call after the store was restored and before
     * the listeners open: the subscriptions and retained messages restored are announced to the other nodes here.
     *
     * @param localTree       this node's subscriptions, observed for the directory
     * @param sessions        what a session moved here from another node is made with; the sessions restored
     *                        from the store, whose filters are announced
     * @param retainAvailable {@code retain_available}: whether retained messages are shared at all
     */
    public static ClusterNode start(ClusterConfig config, Router router, SubscriptionTree localTree,
                                    SessionServices sessions, RetainedTree retained, boolean retainAvailable,
                                    Supplier<EventExecutor> loops) {
        HazelcastInstance hazelcast = HazelcastSetup.newMember.apply(HazelcastSetup.config(config));
        ClusterNode node = new ClusterNode(hazelcast, router, sessions, loops, config);
        node.connect(localTree, retained, retainAvailable);
        for (Session s : sessions.sessions().all()) {
            s.subscriptions().forEach(sub -> node.directory.firstSubscriber(sub.topicFilter(), sub.shareGroup()));
        }
        LOG.info("cluster '{}': node {} on {}:{}, {} member(s) now", config.name(), node.id(), config.bindAddress(),
                config.port(), hazelcast.getCluster().getMembers().size());
        return node;
    }

    private void connect(SubscriptionTree localTree, RetainedTree retained, boolean retainAvailable) {
        hazelcast.getCluster().addMembershipListener(new Members());
        hazelcast.getLifecycleService().addLifecycleListener(event -> {
            if (event.getState() == LifecycleEvent.LifecycleState.MERGED) {
                guard.merged();
                if (splitHandOver != null) {
                    splitHandOver.merged();
                }
                writer.execute(() -> MergeListeners.of(hazelcast).again());
                directory.afterMerge();
                writer.execute(merge::merged);
            }
        });
        windows.listen(hazelcast, id());
        NodeInbox inbox = new NodeInbox(router, counters, moves.gate(), moveBarrier::marked, forwardingProgress)
                .heldAs(HeldEvents.inbox(id()));
        MergeListeners.of(hazelcast).topic(hazelcast.<byte[]>getTopic(NodeInbox.topicName(id())), inbox);
        new InboxReader(hazelcast, id(), (from, ended) -> inbox.reliable(progress, from, ended), writer, counters).start();
        directory.start();
        moveBarrier.start();
        localTree.observe(directory);
        clientOwners.start();
        RetainedSync retainedSync = new RetainedSync(hazelcast.getMap(RetainedSync.MAP), retained);
        if (retainAvailable) {
            retainedSync.start(MergeListeners.of(hazelcast));
        }
        if (splitHandOver != null) {
            splitHandOver.start();
        }
        merge.start(writer, retainAvailable ? retainedSync::reload : () -> { });
        router.connect(new Forwarder(directory.remoteTree(), counters, retainedSync, retainAvailable, id(),
                moves.gate(), moveBarrier.sendOrder()));
    }

    /**
     * The sessions read back from this node's store that it keeps: those a survivor adopted while this node was
     * down (the cluster's mirror names another node) are dropped from the store; the others are written to the
     * mirror, owned by this node (its id is new at each start).
     */
    public List<StoredSession> sessionsToRestore(List<StoredSession> restored) {
        if (mirror == null) {
            return restored;
        }
        List<StoredSession> kept = new ArrayList<>();
        List<CompletableFuture<Void>> writes = new ArrayList<>();
        MirroredStore store = (MirroredStore) sessionStore;
        for (StoredSession s : restored) {
            UUID owner = mirror.owner(s.clientId());
            if (owner != null && !owner.equals(id())) {
                store.local().removeSession(s.clientId());
                counters.sessionsAdoptedElsewhere.increment();
                LOG.info("cluster: client '{}': its session, restored from this node's store, was adopted by node {} "
                        + "while this node was down; dropped here", s.clientId(), owner);
                continue;
            }
            kept.add(s);
            writes.add(mirror.putSession(s).toCompletableFuture());
            for (StoredEntry e : s.entries()) {
                writes.add(mirror.putMessage(s.clientId(), e, s.messages().get(e.messageId()), -1).toCompletableFuture());
            }
            for (int packetId : s.incomingQos2()) {
                writes.add(mirror.putIncomingQos2(s.clientId(), packetId).toCompletableFuture());
            }
        }
        CompletableFuture.allOf(writes.toArray(CompletableFuture[]::new)).join();
        return kept;
    }

    UUID id() {
        return NodeIds.self(hazelcast);
    }

    /** The cluster's figures on this node, for the broker's counters. */
    public Map<String, Long> counters() {
        return counters.snapshot(hazelcast.getLifecycleService().isRunning()
                ? hazelcast.getCluster().getMembers().size() : 0);
    }

    /** This node's {@code $SYS/broker/cluster/...} values, topics relative to {@code $SYS/broker/}. */
    public Map<String, String> sysTopics() {
        return ClusterSysTopics.of(hazelcast, counters());
    }

    /** Leaves the cluster: this node's filters leave the directory first, so nothing more is sent here. */
    @Override
    public void close() {
        router.connect(org.wrenmq.broker.routing.RemoteNodes.NONE);
        directory.stop();
        writer.stop();
        forwardingProgress.close();
        if (progress != null) {
            progress.close();
        }
        hazelcast.shutdown();
        pauses.close();
        LOG.info("cluster: node left");
    }

    private final class Members implements MembershipListener {
        @Override
        public void memberAdded(MembershipEvent event) {
            LOG.info("cluster: node {} joined ({}); {} member(s) now", NodeIds.of(event.getMember()),
                    event.getMember().getAddress(), event.getMembers().size());
            directory.afterJoin();
            if (adoption != null) {
                UUID back = NodeIds.of(event.getMember());
                writer.execute(() -> adoption.nodeBack(back));
            }
        }

        @Override
        public void memberRemoved(MembershipEvent event) {
            boolean oldest = event.getMembers().iterator().next().localMember();
            LOG.warn("cluster: node {} left ({}); {} member(s) now", NodeIds.of(event.getMember()),
                    event.getMember().getAddress(), event.getMembers().size());
            UUID gone = NodeIds.of(event.getMember());
            // on a minority side of a split brain, the nodes that left live on: the majority takes them over
            boolean takeOver = guard.mayTakeOver(event);
            if (!takeOver && splitHandOver != null) {
                splitHandOver.splitBegan();
            }
            windows.nodeLeft(gone); // no publisher waits for a node that died
            forwardingProgress.nodeLeft(gone);
            directory.nodeLeft(gone, oldest && takeOver, adoption != null && takeOver);
            if (adoption != null) {
                writer.execute(() -> adoption.originLeft(gone));
            }
            moveBarrier.nodeLeft(gone);
            moves.nodeLeft(gone);
            if (oldest && takeOver) {
                writer.execute(() -> {
                    clientOwners.nodeLeft(gone);
                    if (adoption != null) {
                        // its ring buffer is followed for a while, then destroyed, by the adoption
                        adoption.nodeLeft(gone);
                        directory.removeEntriesOf(gone);
                    } else {
                        NodeInbox.destroyIfGone(hazelcast, gone);
                    }
                });
            }
        }
    }
}
