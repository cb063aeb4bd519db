package org.wrenmq.broker.cluster;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.atomic.LongAdder;

/** What the cluster did on this node, under {@code cluster.*} in the broker's counters. */
final class ClusterCounters {
    /** Copies of messages sent to other nodes (one per node that had a matching subscriber). */
    final LongAdder messagesForwarded = new LongAdder();
    /** Messages other nodes forwarded here. */
    final LongAdder messagesReceived = new LongAdder();
    /** QoS 1/2 copies the cluster did not take (written to no ring buffer): their publishers were not acknowledged. */
    final LongAdder messagesNotHeld = new LongAdder();
    /** QoS 1/2 messages for this node overwritten in its ring buffer before this node read them: lost, logged. */
    final LongAdder messagesOverrun = new LongAdder();
    /** QoS 0 messages other nodes sent here that never arrived (a Hazelcast event queue overflowed): logged. */
    final LongAdder messagesLost = new LongAdder();
    /** Forwarded messages that could not be read (a node of another version): dropped, logged. */
    final LongAdder messagesUnreadable = new LongAdder();
    /** Other nodes' filters known here. */
    final LongAdder remoteFilters = new LongAdder();
    /** Other nodes' filters taken in since start (a new subscription elsewhere is known here once this moves). */
    final LongAdder remoteFiltersAdded = new LongAdder();
    /** Clients whose session was taken over by a connection on another node. */
    final LongAdder takenOverByOtherNode = new LongAdder();
    /** Persistent sessions handed over to this node, and from it. */
    final LongAdder sessionsMovedIn = new LongAdder();
    final LongAdder sessionsMovedOut = new LongAdder();
    /** Persistent sessions of nodes that died, adopted here from the cluster's mirror. */
    final LongAdder sessionsAdopted = new LongAdder();
    /** Sessions of a dead node this node could not adopt (their client was back here first): logged. */
    final LongAdder sessionsNotAdopted = new LongAdder();
    /** Writes of a persistent session's state the cluster refused: lost if this node dies, logged. */
    final LongAdder sessionsMirrorFailed = new LongAdder();
    /** Second copies of messages for sessions adopted from a dead node (through its ring buffer and this node): dropped. */
    final LongAdder takeoverCopies = new LongAdder();
    /** Sessions restored from this node's store at start that a survivor had adopted meanwhile: dropped here. */
    final LongAdder sessionsAdoptedElsewhere = new LongAdder();
    /** Times another node's window filled ({@code cluster_max_inflight_messages}): publishers to it paused, logged. */
    final LongAdder forwardingPaused = new LongAdder();
    /** How long, in all, windows towards other nodes stayed full (publishers sending there not read). */
    final LongAdder forwardingPausedMillis = new LongAdder();

    /** Messages this node passed on to the node a session moved to, received here after the hand-over. */
    final LongAdder forwardedAfterMove = new LongAdder();
    /** Messages a session moved here waited for until its old node passed nothing more on. */
    final LongAdder heldDuringMove = new LongAdder();
    /** Second copies of a message for a session moving in (passed on by its old node and routed here): dropped. */
    final LongAdder moveCopies = new LongAdder();
    /** Moves whose stub closed without every node's confirmation ({@link MoveBarrier#LIMIT_SECONDS}): logged. */
    final LongAdder moveBarrierTimeouts = new LongAdder();

    /** Times this node found itself on a minority side of a split brain ({@link SplitBrainGuard}): logged. */
    final LongAdder splitMinority = new LongAdder();
    /** Nodes that left that this node did not take over, being on a minority side. */
    final LongAdder splitTakeoversRefused = new LongAdder();
    /** Times this node merged back into the cluster after a split brain: logged. */
    final LongAdder splitMerged = new LongAdder();
    /** Times this node found it had been paused long enough to be taken for dead ({@link PauseWatch}): logged. */
    final LongAdder splitPaused = new LongAdder();
    /** Sessions this node ended on merging back, their client or session being on another node now: logged. */
    final LongAdder splitSessionsEnded = new LongAdder();
    /** Messages an ending session copy held that this node's kept copy took in ({@link SplitHandOver}). */
    final LongAdder splitMessagesHandedOver = new LongAdder();
    /** Messages of an ending session copy left out, the kept copy having (had) them ({@link SplitHandOver}). */
    final LongAdder splitHandOverCopies = new LongAdder();
    /**
     * Hand-overs of an ending session copy dropped on arrival ({@link SplitHandOver}): unreadable, or for a client
     * this node keeps no persistent session of any more; their messages are lost; logged.
     */
    final LongAdder splitHandOversDropped = new LongAdder();
    /**
     * Hand-overs of an ending session copy that reached this node after the kept session had moved on to another node,
     * passed on to that node ({@link SplitHandOver}); logged.
     */
    final LongAdder splitHandOversForwarded = new LongAdder();
    /** Hand-overs of an ending session copy the kept node did not confirm ({@link SplitHandOver}): logged. */
    final LongAdder splitHandOverUnconfirmed = new LongAdder();
    /** Times this node read its QoS 1/2 ring buffer anew, another node having destroyed it ({@link InboxReader}). */
    final LongAdder inboxReaderRestarts = new LongAdder();

    Map<String, Long> snapshot(int members) {
        Map<String, Long> m = new LinkedHashMap<>();
        m.put("cluster.members", (long) members);
        m.put("cluster.messages.forwarded", messagesForwarded.sum());
        m.put("cluster.messages.received", messagesReceived.sum());
        m.put("cluster.messages.unreadable", messagesUnreadable.sum());
        m.put("cluster.messages.not_held", messagesNotHeld.sum());
        m.put("cluster.messages.overrun", messagesOverrun.sum());
        m.put("cluster.messages.lost", messagesLost.sum());
        m.put("cluster.subscriptions.remote_filters", remoteFilters.sum());
        m.put("cluster.subscriptions.remote_added", remoteFiltersAdded.sum());
        m.put("cluster.sessions.taken_over_remotely", takenOverByOtherNode.sum());
        m.put("cluster.sessions.moved_in", sessionsMovedIn.sum());
        m.put("cluster.sessions.moved_out", sessionsMovedOut.sum());
        m.put("cluster.sessions.adopted", sessionsAdopted.sum());
        m.put("cluster.sessions.not_adopted", sessionsNotAdopted.sum());
        m.put("cluster.sessions.mirror_failed", sessionsMirrorFailed.sum());
        m.put("cluster.sessions.adopted_elsewhere", sessionsAdoptedElsewhere.sum());
        m.put("cluster.sessions.takeover_copies_dropped", takeoverCopies.sum());
        m.put("cluster.sessions.forwarded_after_move", forwardedAfterMove.sum());
        m.put("cluster.sessions.held_during_move", heldDuringMove.sum());
        m.put("cluster.sessions.move_copies_dropped", moveCopies.sum());
        m.put("cluster.sessions.move_barrier_timeouts", moveBarrierTimeouts.sum());
        m.put("cluster.forwarding.paused", forwardingPaused.sum());
        m.put("cluster.forwarding.paused_millis", forwardingPausedMillis.sum());
        m.put("cluster.split_brain.minority", splitMinority.sum());
        m.put("cluster.split_brain.takeovers_refused", splitTakeoversRefused.sum());
        m.put("cluster.split_brain.merged", splitMerged.sum());
        m.put("cluster.split_brain.paused", splitPaused.sum());
        m.put("cluster.split_brain.sessions_ended", splitSessionsEnded.sum());
        m.put("cluster.split_brain.messages_handed_over", splitMessagesHandedOver.sum());
        m.put("cluster.split_brain.handover_copies_dropped", splitHandOverCopies.sum());
        m.put("cluster.split_brain.handover_dropped", splitHandOversDropped.sum());
        m.put("cluster.split_brain.handovers_forwarded", splitHandOversForwarded.sum());
        m.put("cluster.split_brain.handover_unconfirmed", splitHandOverUnconfirmed.sum());
        m.put("cluster.inbox.reader_restarts", inboxReaderRestarts.sum());
        return m;
    }
}
