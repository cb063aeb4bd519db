package org.wrenmq.broker.cluster;

import com.hazelcast.topic.ITopic;
import io.netty.util.concurrent.EventExecutor;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.wrenmq.broker.auth.ClientAccess;
import org.wrenmq.broker.message.Origin;
import org.wrenmq.broker.message.Publication;
import org.wrenmq.broker.routing.Delivery;
import org.wrenmq.broker.routing.Subscriber;
import org.wrenmq.broker.routing.Subscription;
import org.wrenmq.broker.routing.SubscriptionTree;

/**
 * What stays of a persistent session on the node it was handed over from, until every node sends the session's
 * messages to the new node ({@link MoveBarrier}): the session's subscriptions, held by this stub in the node's tree
 * (so the node's filters do not leave the directory meanwhile), and each message they still bring here passed on
 * to the new node, in arrival order, after the session itself (same topic, same thread).
 *
 * <p>Which messages it passes on: every QoS 1/2 message, with its identity ({@link Origin}), whether or not
 * the new node got it too: only the new node knows what it routed to the session, and it keeps one copy of each
 * ({@link MoveIn}). A QoS 0 message has no identity: it is passed on only when the new node does not route it to
 * the session by itself, as far as this node can tell (not sent there too ({@link Envelope#sentTo}), not published
 * there after the session was adopted, not published here once this node sends the topic there). Deliveries that
 * were on their way to the session when it was handed over come here too ({@code Session.handOver}); a message
 * that reached both the session and this stub (routed in the instant both were in the tree) is passed on once.
 *
 * <p>Threading: deliveries and the closing run on the session's last event loop; {@link #acked} on any thread.
 */
final class MoveStub implements Subscriber {
    private static final Logger LOG = LoggerFactory.getLogger(MoveStub.class);

    private final String clientId;
    private final UUID newNode;
    private final long moveId;
    private final EventExecutor loop;
    private final ClientAccess access;
    private final SubscriptionTree tree;
    private final SubscriptionDirectory directory;
    private final ITopic<byte[]> toNewNode;
    private final ClusterCounters counters;
    private final Consumer<MoveStub> whenClosed;
    private final List<Subscription> subscriptions = new ArrayList<>();
    /** Nodes whose marker has not come yet; guarded by this. */
    private final Set<UUID> awaited;
    /** The new node adopted the session: what is published there from now on reaches it there. */
    private volatile boolean newNodeHasIt;
    /** On the loop only. */
    private boolean closed;
    private Publication last;
    /** The identity of each QoS 1/2 message routed to this stub, until its delivery reaches the loop. */
    private final Map<Publication, Origin> numbered = new IdentityHashMap<>();

    MoveStub(String clientId, UUID newNode, long moveId, EventExecutor loop, ClientAccess access,
             SubscriptionTree tree, SubscriptionDirectory directory, ITopic<byte[]> toNewNode,
             ClusterCounters counters, Set<UUID> awaited, Consumer<MoveStub> whenClosed) {
        this.clientId = clientId;
        this.newNode = newNode;
        this.moveId = moveId;
        this.loop = loop;
        this.access = access;
        this.tree = tree;
        this.directory = directory;
        this.toNewNode = toNewNode;
        this.counters = counters;
        this.awaited = new HashSet<>(awaited);
        this.whenClosed = whenClosed;
    }

    long moveId() {
        return moveId;
    }

    UUID newNode() {
        return newNode;
    }

    /** Takes the session's subscriptions over in this node's tree; on the loop, before the session ends. */
    void subscribeAs(List<Subscription> sessions) {
        for (Subscription s : sessions) {
            Subscription mine = new Subscription(this, s.topicFilter(), s.shareGroup(), s.qos(), s.noLocal(),
                    s.retainAsPublished(), s.retainHandling(), s.subscriptionId());
            subscriptions.add(mine);
            tree.add(mine);
        }
        loop.schedule(this::limitReached, MoveBarrier.LIMIT_SECONDS, TimeUnit.SECONDS);
    }

    /** The filters the new node must have before a node may stop sending them here. */
    List<FilterKey> filtersOnNewNode() {
        List<FilterKey> keys = new ArrayList<>(subscriptions.size());
        subscriptions.forEach(s -> keys.add(new FilterKey(newNode, s.shareGroup(), s.topicFilter())));
        return keys;
    }

    /** {@code node}'s marker came (or it left): nothing more it sent before will come here. Any thread. */
    void acked(UUID node) {
        boolean last;
        synchronized (this) {
            if (node.equals(newNode)) {
                newNodeHasIt = true;
            }
            last = awaited.remove(node) && awaited.isEmpty();
        }
        if (last) {
            loop.execute(() -> close(true));
        }
    }

    /**
     * Whether the stub leaves out a message routed to it (on the routing thread): one with an identity goes on with
     * it; one without only when the new node does not get it by itself, see the class comment.
     */
    boolean leavesOut(Origin origin, Publication p) {
        if (origin != null) {
            synchronized (numbered) {
                numbered.put(p, origin);
            }
            return false;
        }
        NodeInbox.Arrival from = NodeInbox.ARRIVING.get();
        if (from == null) {
            return directory.routesTo(newNode, p.topic());
        }
        if (newNode.equals(from.from())) {
            return newNodeHasIt;
        }
        return from.sentTo().contains(newNode);
    }

    @Override
    public boolean mayRead(String topic) {
        return access.mayRead(topic);
    }

    @Override
    public void enqueueOrSend(Delivery d) {
        Origin origin;
        synchronized (numbered) {
            origin = numbered.remove(d.publication());
        }
        if (origin == null && d.stored() != null) {
            origin = d.stored().origin(); // routed to the session itself just before it was handed over
        }
        if (closed || d.publication() == last) {
            return; // reached the loop after it closed: the new node routes what it lacks itself (MoveIn)
        }
        last = d.publication();
        toNewNode.publish(SessionMoves.delivery(clientId, moveId, origin, d));
        counters.forwardedAfterMove.increment();
    }

    /** @param complete every node's marker came: the new node may rely on them ({@link MoveIn}) */
    private void close(boolean complete) {
        if (closed) {
            return;
        }
        closed = true;
        for (Subscription s : subscriptions) {
            tree.remove(this, s.topicFilter(), s.shareGroup());
        }
        toNewNode.publish(SessionMoves.closed(clientId, moveId, complete));
        whenClosed.accept(this);
    }

    private void limitReached() {
        if (!closed) {
            Set<UUID> missing;
            synchronized (this) {
                missing = Set.copyOf(awaited);
            }
            counters.moveBarrierTimeouts.increment();
            LOG.warn("client '{}': after its hand-over to node {}, node(s) {} did not confirm within {} s that they "
                    + "send its messages there; this node stops passing them on", clientId, newNode, missing,
                    MoveBarrier.LIMIT_SECONDS);
            close(false);
        }
    }

    @Override
    public String clientId() {
        return clientId;
    }

    @Override
    public EventExecutor executor() {
        return loop;
    }

    @Override
    public boolean isOnline() {
        return false;
    }

    @Override
    public String toString() {
        return "moved session '" + clientId + "' (to node " + newNode + ")";
    }
}
