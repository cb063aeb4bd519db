package org.wrenmq.broker.cluster;

import com.hazelcast.cluster.Member;
import com.hazelcast.core.HazelcastInstance;
import com.hazelcast.topic.ITopic;
import com.hazelcast.topic.Message;
import io.netty.util.concurrent.EventExecutor;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.wrenmq.broker.session.Session;

/**
 * Makes a persistent session's move to another node lossless: when node A hands a session over to node B, the
 * other nodes may still send its messages to A for a few milliseconds (until the subscription directory's change
 * reaches them). A keeps a {@link MoveStub} that passes those on to B, and closes it once <b>every node has said
 * that it sends the session's messages to B</b>: a barrier of acknowledgements rather than a timer.
 *
 * <p>Why a stub with a barrier rather than a two-step hand-over: the session can be handed over at once (the
 * client waits for its CONNACK only as before), and the nodes need no new agreement before it, only a marker each
 * afterwards. Why a marker in A's ring buffer: it travels behind every QoS 1/2 message the node sent A before it,
 * so once A has read a node's marker, nothing that node sent before it is still on its way (a node sends its
 * marker after each of its event loops finished the routing it was doing, so no publish that matched the old
 * directory is still between its match and its write).
 *
 * <p>The steps: A hands the session over (the stub takes its subscriptions over in A's tree) and tells every node
 * ({@code wrenmq.moves}) which filters B must have; each node, once its directory shows them on B, writes its
 * marker into A's ring buffer and one into B's (A tells its stub directly; B writes its marker once it adopted
 * the session and its loops finished what they were routing). B holds what it routes to the session itself until
 * the stub closes, so the messages A passes on come first and each publisher's order holds [MQTT-4.6.0-5], and
 * keeps one copy of each message ({@link MoveIn}: the markers in B's ring buffer tell it which ones A had). A node
 * that leaves counts as having answered. Should a node not answer within {@link #LIMIT_SECONDS}, the stub closes
 * all the same, logged and counted.
 */
final class MoveBarrier {
    private static final Logger LOG = LoggerFactory.getLogger(MoveBarrier.class);
    /** How long a stub waits for every node's marker before it closes all the same. */
    static final long LIMIT_SECONDS = 10;
    static final String TOPIC = HazelcastSetup.MAP_PREFIX + "moves";
    /** The first byte of a marker in a ring buffer; an envelope's first byte is its version (1 to 3). */
    private static final byte MARKER = 0x7F;
    /** The first byte of the marker a node writes into the new node's ring buffer at the same time. */
    private static final byte MARKER_AT_NEW_NODE = 0x7E;

    private final HazelcastInstance hazelcast;
    private final UUID self;
    private final SubscriptionDirectory directory;
    private final Supplier<EventExecutor> loops;
    private final ITopic<byte[]> moves;
    private final AtomicLong lastMoveId = new AtomicLong();
    /** This node's stubs, by move id. */
    private final Map<Long, MoveStub> stubs = new ConcurrentHashMap<>();
    /** Moves this node has still to confirm. */
    private final List<Awaited> awaited = new CopyOnWriteArrayList<>();
    /**
     * Held while one QoS 1/2 message is written to several nodes ({@link Forwarder}) and while a move's two markers
     * are: a message is then before both markers or after both, in the old node's ring buffer and the new one's.
     */
    private final Object sendOrder = new Object();
    /** Told of each marker read from this node's ring buffer for a session moving in: old node, move id, sender. */
    private MarkerListener atNewNode = (oldNode, moveId, node) -> { };

    /** See {@link #onMarkerAtNewNode}. */
    interface MarkerListener {
        void marked(UUID oldNode, long moveId, UUID node);
    }

    /** A move this node confirms once its directory shows {@code filters} on the new node. */
    private record Awaited(UUID oldNode, long moveId, UUID newNode, List<FilterKey> filters) {
    }

    MoveBarrier(HazelcastInstance hazelcast, SubscriptionDirectory directory, Supplier<EventExecutor> loops) {
        this.hazelcast = hazelcast;
        this.self = NodeIds.self(hazelcast);
        this.directory = directory;
        this.loops = loops;
        this.moves = hazelcast.getTopic(TOPIC);
    }

    void start() {
        MergeListeners.of(hazelcast).topic(moves, this::announced);
        directory.onAdded(this::check);
    }

    Object sendOrder() {
        return sendOrder;
    }

    /** {@code listener} is told of each marker a node wrote here for a session moving in ({@link MoveIn}). */
    void onMarkerAtNewNode(MarkerListener listener) {
        this.atNewNode = listener;
    }

    long nextMoveId() {
        return lastMoveId.incrementAndGet();
    }

    /** The nodes whose marker a stub made now waits for: every member, this one included. */
    Set<UUID> members() {
        Set<UUID> ids = new HashSet<>();
        for (Member m : hazelcast.getCluster().getMembers()) {
            ids.add(NodeIds.of(m));
        }
        return ids;
    }

    /** A stub is in place (the session handed over): every node is asked to confirm. */
    void opened(MoveStub stub) {
        stubs.put(stub.moveId(), stub);
        List<FilterKey> filters = stub.filtersOnNewNode();
        moves.publish(announcement(stub.moveId(), stub.newNode(), filters));
        await(new Awaited(self, stub.moveId(), stub.newNode(), filters));
    }

    void closed(MoveStub stub) {
        stubs.remove(stub.moveId());
    }

    /**
     * The new node adopted a session {@code oldNode} handed over: its marker goes once every loop finished what it
     * was routing, so that a message routed here without the session is before it, in the old node's ring buffer.
     */
    void adopted(UUID oldNode, long moveId) {
        Session.afterRoutingOn(loops.get(), () -> mark(oldNode, moveId, self));
    }

    private void announced(Message<byte[]> message) {
        ByteBuffer in = ByteBuffer.wrap(message.getMessageObject());
        UUID oldNode = new UUID(in.getLong(), in.getLong());
        long moveId = in.getLong();
        UUID newNode = new UUID(in.getLong(), in.getLong());
        if (oldNode.equals(self) || newNode.equals(self)) {
            return; // the old node confirms for itself, the new node when it adopted the session
        }
        List<FilterKey> filters = new ArrayList<>();
        try (DataInputStream data = new DataInputStream(new ByteArrayInputStream(message.getMessageObject(),
                in.position(), in.remaining()))) {
            for (int n = data.readInt(); n > 0; n--) {
                String group = data.readUTF();
                filters.add(new FilterKey(newNode, group.isEmpty() ? null : group, data.readUTF()));
            }
        } catch (IOException e) {
            LOG.warn("cluster: a session move announced by node {} cannot be read: {}", oldNode, e.toString());
            return;
        }
        await(new Awaited(oldNode, moveId, newNode, filters));
    }

    private void await(Awaited move) {
        awaited.add(move);
        check();
    }

    /** Confirms each awaited move whose filters the directory now shows on the new node. */
    private void check() {
        for (Awaited move : awaited) {
            if (directory.hasAll(move.newNode(), move.filters()) && awaited.remove(move)) {
                // once every loop finished what it was routing, nothing matched without the new node is unwritten
                Session.afterRoutingOn(loops.get(), () -> mark(move.oldNode(), move.moveId(), move.newNode()));
            }
        }
    }

    /**
     * Writes this node's marker into the old node's ring buffer and, with it, one into the new node's: the new node
     * then knows which of this node's messages the old node had before its stub closed ({@link MoveIn}).
     */
    private void mark(UUID oldNode, long moveId, UUID newNode) {
        byte[] marker = ByteBuffer.allocate(25).put(MARKER).putLong(moveId).putLong(self.getMostSignificantBits())
                .putLong(self.getLeastSignificantBits()).array();
        byte[] atNew = ByteBuffer.allocate(41).put(MARKER_AT_NEW_NODE).putLong(oldNode.getMostSignificantBits())
                .putLong(oldNode.getLeastSignificantBits()).putLong(moveId).putLong(self.getMostSignificantBits())
                .putLong(self.getLeastSignificantBits()).array();
        synchronized (sendOrder) {
            if (!newNode.equals(self)) {
                send(newNode, atNew);
            }
            if (!oldNode.equals(self)) {
                send(oldNode, marker);
            }
        }
        if (oldNode.equals(self)) {
            MoveStub stub = stubs.get(moveId);
            if (stub != null) {
                stub.acked(self);
            }
        }
    }

    /** Into {@code node}'s ring buffer, behind what this node sent it before. */
    private void send(UUID node, byte[] marker) {
        RemoteNode remote = directory.node(node);
        if (remote != null) {
            remote.sendMark(marker);
        } else {
            hazelcast.<byte[]>getReliableTopic(NodeInbox.reliableTopicName(node)).publishAsync(marker);
        }
    }

    static boolean isMarker(byte[] bytes) {
        return bytes.length > 0 && (bytes[0] == MARKER || bytes[0] == MARKER_AT_NEW_NODE);
    }

    /** A node's marker read from this node's ring buffer. */
    void marked(byte[] marker) {
        ByteBuffer in = ByteBuffer.wrap(marker, 1, marker.length - 1);
        if (marker[0] == MARKER_AT_NEW_NODE) {
            atNewNode.marked(new UUID(in.getLong(), in.getLong()), in.getLong(), new UUID(in.getLong(), in.getLong()));
            return;
        }
        MoveStub stub = stubs.get(in.getLong());
        if (stub != null) {
            stub.acked(new UUID(in.getLong(), in.getLong()));
        }
    }

    /** A node left: it sends nothing more, and moves from or to it need no confirmation here. */
    void nodeLeft(UUID node) {
        stubs.values().forEach(stub -> stub.acked(node));
        awaited.removeIf(move -> move.oldNode().equals(node) || move.newNode().equals(node));
    }

    private byte[] announcement(long moveId, UUID newNode, List<FilterKey> filters) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (DataOutputStream out = new DataOutputStream(bytes)) {
            out.writeLong(self.getMostSignificantBits());
            out.writeLong(self.getLeastSignificantBits());
            out.writeLong(moveId);
            out.writeLong(newNode.getMostSignificantBits());
            out.writeLong(newNode.getLeastSignificantBits());
            out.writeInt(filters.size());
            for (FilterKey f : filters) {
                out.writeUTF(f.shareGroup() == null ? "" : f.shareGroup());
                out.writeUTF(f.topicFilter());
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return bytes.toByteArray();
    }
}
