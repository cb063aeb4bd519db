package org.wrenmq.broker.cluster;

import com.hazelcast.core.HazelcastInstance;
import com.hazelcast.map.IMap;
import com.hazelcast.topic.ITopic;
import java.util.UUID;
import java.util.concurrent.Executor;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.wrenmq.broker.session.Session;
import org.wrenmq.broker.session.SessionRegistry;

/**
 * What the nodes do once a side merged back into the cluster after a split brain (the smaller side merges into the
 * larger; Hazelcast merged the maps, the newest write of each entry winning). Each side may hold what the other took
 * over while they were apart; one copy of each stays:
 * <ul>
 * <li>a persistent session held on both sides (the majority adopted the sessions of the node it lost, which went on
 * serving them): the copy the merged mirror names stays; the other ends, its client disconnected (MQTT 5:
 * DISCONNECT 0x8E) to resume on the node that kept it. The messages its client has not finished go to the kept copy,
 * less those that copy has (had) itself ({@link SplitHandOver});</li>
 * <li>a client id connected on both sides: the merged node's connection stays, the other side's is taken over
 * (DISCONNECT 0x8E), as when a client connects on another node.</li>
 * </ul>
 * The merged node checks its own sessions once its maps merged and claims the client ids of those it keeps, then
 * tells the others on {@link #TOPIC}, which check theirs against it.
 */
final class SplitBrainMerge {
    private static final Logger LOG = LoggerFactory.getLogger(SplitBrainMerge.class);
    static final String TOPIC = HazelcastSetup.MAP_PREFIX + "merged";

    private final HazelcastInstance hazelcast;
    private final UUID self;
    private final SessionRegistry sessions;
    /** Null when the node keeps no persistent sessions. */
    private final SessionMirror mirror;
    private final ClusterCounters counters;
    /** Null when the node keeps no persistent sessions. */
    private final SplitHandOver handOver;
    private final IMap<String, String> owners;
    private final ITopic<String> merged;
    /** Takes in the cluster's retained messages again, as merged. */
    private volatile Runnable retained = () -> { };

    SplitBrainMerge(HazelcastInstance hazelcast, SessionRegistry sessions, SessionMirror mirror,
                    SplitHandOver handOver, ClusterCounters counters) {
        this.handOver = handOver;
        this.hazelcast = hazelcast;
        this.self = NodeIds.self(hazelcast);
        this.sessions = sessions;
        this.mirror = mirror;
        this.counters = counters;
        this.owners = hazelcast.getMap(ClientOwners.MAP);
        this.merged = hazelcast.getTopic(TOPIC);
    }

    /**
     * Hears the other nodes merging back ({@code writer} runs the checks, off Hazelcast's threads).
     *
     * @param retained takes in the cluster's retained messages again
     */
    void start(Executor writer, Runnable retained) {
        this.retained = retained;
        MergeListeners.of(hazelcast).topic(merged, m -> {
            UUID node = UUID.fromString(m.getMessageObject());
            if (!node.equals(self)) {
                writer.execute(() -> otherSideMerged(node));
            }
        });
    }

    /** This node's side merged back: on the cluster writer thread, after Hazelcast merged the maps. */
    void merged() {
        retained.run();
        int ended = 0;
        for (Session session : sessions.all()) {
            UUID holder = persistentHolder(session);
            if (holder != null && !holder.equals(self) && NodeIds.isMember(hazelcast, holder)) {
                end(session, holder);
                ended++;
            } else if (session.isOnline()) {
                owners.set(session.clientId(), self.toString());
            }
        }
        LOG.warn("cluster: merged back after a split brain: {} session(s) here ended, kept on another node; the "
                + "client ids of the others claimed again", ended);
        merged.publish(self.toString());
    }

    /**
     * {@code node}'s side merged back: the sessions here that the merged mirror gives to it, or whose client id it
     * claimed, end here.
     */
    private void otherSideMerged(UUID node) {
        retained.run();
        for (Session session : sessions.all()) {
            UUID holder = persistentHolder(session);
            if (node.equals(holder) || holder == null && node.toString().equals(owners.get(session.clientId()))) {
                end(session, node);
            }
        }
    }

    /** The node the cluster's mirror says holds {@code session}, or null (not persistent, no mirror, none). */
    private UUID persistentHolder(Session session) {
        return session.isPersistent() && mirror != null ? mirror.owner(session.clientId()) : null;
    }

    private void end(Session session, UUID holder) {
        counters.splitSessionsEnded.increment();
        boolean online = session.isOnline();
        session.execute(() -> {
            boolean handsOver = handOver != null && session.isPersistent();
            int handed = handsOver ? handOver.handOver(session, holder) : 0;
            session.replaced();
            LOG.warn("cluster: client '{}': after the split brain it is kept on node {}; its session here ended{}{}",
                    session.clientId(), holder, online ? ", its connection closed" : "",
                    handsOver ? ", " + handed + " unfinished message(s) handed over there" : "");
        });
    }
}
