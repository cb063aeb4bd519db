package org.wrenmq.broker.session;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.wrenmq.api.QoS;
import org.wrenmq.broker.message.Publication;
import org.wrenmq.broker.routing.Delivery;
import org.wrenmq.broker.store.StoredEntry;

/**
 * A session's outgoing messages: those in flight (sent, not yet fully acknowledged, by packet id) and those queued
 * behind them.
 *
 * <p>A delivery is sent at once while the outlet is writable and, for QoS 1/2, fewer than the inflight maximum
 * ({@code max_inflight_messages}, or the client's receive maximum if lower) are unacknowledged; otherwise it waits
 * in the queue, bounded by {@code max_queued_messages}, {@code max_queued_bytes} and, across all sessions,
 * {@code max_queued_messages_total} (counter {@code messages.dropped.queue_full}, one log line until it drains).
 * Each acknowledgement or writability change pumps the queue. A stored delivery's entry leaves the store when it is
 * finished or dropped; its PUBREL goes out only once its released state is durable, so a restart never resends a
 * message the client already has; on a cluster node a stored QoS 2 message goes out only once the cluster holds it
 * ({@link org.wrenmq.broker.store.MessageStore#mayGoOut}). Touched on the session's executor only.
 */
final class Outbox {
    private static final Logger LOG = LoggerFactory.getLogger(Outbox.class);
    private static final ArrayDeque<Delivery> NO_QUEUE = new ArrayDeque<>(1);

    private final String clientId;
    private final SessionServices services;
    /** Its session, to run a store commit's callback on the session's executor. */
    private final Session session;
    private Outlet outlet;
    /** Waiting messages; the shared empty one (never added to) while there are none, as in most idle sessions. */
    private ArrayDeque<Delivery> queue = NO_QUEUE;
    private long queuedBytes;
    private boolean queueFullLogged;
    /** QoS 0 messages dropped while no client was attached; written on the session's thread only. */
    private volatile long droppedQos0Offline;
    /** In sending order, so a reconnect resends them in the order first sent [MQTT-4.6.0-1]; empty until used. */
    private Map<Integer, InflightMessage> inflight = Map.of();
    private int lastPacketId;
    /** Called by the store once it holds a QoS 2 message it held back ({@link #canSendNow}); made once. */
    private final Runnable pumpLater = this::pumpLater;

    Outbox(Session session, SessionServices services) {
        this.clientId = session.clientId();
        this.services = services;
        this.session = session;
    }

    /**
     * Sends to {@code o} from now: unacknowledged messages are resent with DUP set and PUBRELs repeated
     * [MQTT-4.4.0-1], then the queue is pumped.
     */
    void connect(Outlet o) {
        outlet = o;
        for (InflightMessage m : inflight.values()) {
            if (m.released) {
                o.sendPubRel(m.packetId);
            } else if (!o.sendPublish(m.delivery, m.packetId, true)) {
                services.metrics().messagesDroppedTooLargeForClient.increment();
            }
        }
        pump();
    }

    /** No client: messages are queued (QoS 0 only with {@code queue_qos0_messages}). */
    void disconnect() {
        outlet = null;
    }

    void enqueueOrSend(Delivery d) {
        if (outlet == null && d.qos() == QoS.AT_MOST_ONCE && !services.config().queueQos0Messages()) {
            services.metrics().messagesDroppedQos0Offline.increment();
            droppedQos0Offline++;
            return;
        }
        if (queue.isEmpty() && canSendNow(d)) {
            send(d);
            return;
        }
        enqueue(d);
    }

    private void enqueue(Delivery d) {
        int maxMessages = services.config().maxQueuedMessages();
        long maxBytes = services.config().maxQueuedBytes();
        long maxTotal = services.config().maxQueuedMessagesTotal();
        int size = d.publication().payload().length;
        boolean sessionFull = queue.size() >= maxMessages || (maxBytes > 0 && queuedBytes + size > maxBytes);
        if (sessionFull || services.queuedTotal().get() >= maxTotal) {
            services.metrics().messagesDroppedQueueFull.increment();
            forget(d);
            if (!queueFullLogged) {
                queueFullLogged = true;
                LOG.warn("queue of client '{}' is full ({} messages, {} bytes; max_queued_messages {}, "
                        + "max_queued_bytes {}, {} of max_queued_messages_total {} in use): dropping new messages "
                        + "until it drains", clientId, queue.size(), queuedBytes, maxMessages, maxBytes,
                        services.queuedTotal().get(), maxTotal);
            }
            return;
        }
        add(d);
    }

    private void add(Delivery d) {
        if (queue == NO_QUEUE) {
            queue = new ArrayDeque<>(2);
        }
        queue.add(d);
        queuedBytes += d.publication().payload().length;
        services.metrics().queuedPayloadBytes.add(d.publication().payload().length);
        services.queuedTotal().incrementAndGet();
    }

    private boolean canSendNow(Delivery d) {
        if (outlet == null || !outlet.isWritable()) {
            return false;
        }
        if (d.qos() == QoS.AT_MOST_ONCE) {
            return true;
        }
        int window = Math.min(services.config().maxInflightMessages(), outlet.receiveMaximum());
        return inflight.size() < window && (d.stored() == null || !inflight.containsKey(d.stored().packetId())
                && (d.qos() != QoS.EXACTLY_ONCE || services.store().mayGoOut(clientId, d.stored(), pumpLater)));
    }

    /** Pumps the queue in a task of its own on the session's loop (never inline: called back from anywhere). */
    private void pumpLater() {
        session.executor().execute(() -> session.execute(this::pump));
    }

    /** Sends queued messages while the window and the transport allow. */
    void pump() {
        while (!queue.isEmpty() && canSendNow(queue.peek())) {
            Delivery d = queue.poll();
            queuedBytes -= d.publication().payload().length;
            services.metrics().queuedPayloadBytes.add(-d.publication().payload().length);
            services.queuedTotal().decrementAndGet();
            send(d);
        }
        if (queue.isEmpty()) {
            queue = NO_QUEUE;
        }
        if (queueFullLogged && queue.size() < services.config().maxQueuedMessages() / 2) {
            queueFullLogged = false;
        }
    }

    private void send(Delivery d) {
        if (d.publication().isExpired(services.clock().millis())) {
            services.metrics().messagesDroppedExpired.increment();
            forget(d);
            return;
        }
        if (!session.mayRead(d.publication().topic())) {
            // routed before this client's rights applied: queued offline, or its rights changed since
            forget(d);
            return;
        }
        int packetId = 0;
        if (d.qos() != QoS.AT_MOST_ONCE) {
            packetId = d.stored() != null ? d.stored().packetId() : nextPacketId();
            inflightForUpdate().put(packetId, new InflightMessage(packetId, d));
        }
        if (outlet.sendPublish(d, packetId, d.maybeSent())) {
            services.metrics().messageSent(d.qos().value(), d.publication().payload().length);
        } else {
            services.metrics().messagesDroppedTooLargeForClient.increment();
            inflight.remove(packetId);
            forget(d);
        }
    }

    /** A delivery is finished or dropped: its store entry goes. */
    private void forget(Delivery d) {
        if (d.stored() != null) {
            services.store().removeEntry(clientId, d.stored());
        }
    }

    private int nextPacketId() {
        do {
            lastPacketId = lastPacketId == 0xFFFF ? 1 : lastPacketId + 1;
        } while (inflight.containsKey(lastPacketId));
        return lastPacketId;
    }

    /** PUBACK for a QoS 1 message. @return false if no such message was in flight */
    boolean onPubAck(int packetId) {
        InflightMessage m = inflight.get(packetId);
        if (m == null || m.delivery.qos() != QoS.AT_LEAST_ONCE) {
            return false;
        }
        finish(m);
        return true;
    }

    /** PUBREC for a QoS 2 message: answer PUBREL, once the released state is durable. @return false if unknown */
    boolean onPubRec(int packetId) {
        InflightMessage m = inflight.get(packetId);
        if (m == null || m.delivery.qos() != QoS.EXACTLY_ONCE) {
            return false;
        }
        if (m.released) {
            sendPubRel(packetId);
            return true;
        }
        m.released = true;
        StoredEntry entry = m.delivery.stored();
        if (entry == null) {
            sendPubRel(packetId);
        } else {
            services.store().markReleased(clientId, entry);
            services.store().afterCommit(session.executor(), () -> session.execute(() -> sendPubRel(packetId)));
        }
        return true;
    }

    private void sendPubRel(int packetId) {
        if (outlet != null) {
            outlet.sendPubRel(packetId);
        }
    }

    /** MQTT 5 PUBREC with a failure reason: the message is finished without PUBREL [MQTT-4.3.3-4]. */
    void onPubRecFailed(int packetId) {
        InflightMessage m = inflight.get(packetId);
        if (m != null) {
            finish(m);
        }
    }

    /** PUBCOMP ends a QoS 2 delivery. @return false if no PUBREL was outstanding for it */
    boolean onPubComp(int packetId) {
        InflightMessage m = inflight.get(packetId);
        if (m == null || !m.released) {
            return false;
        }
        finish(m);
        return true;
    }

    private void finish(InflightMessage m) {
        inflight.remove(m.packetId);
        forget(m.delivery);
        pump();
    }

    /** An in-VM listener refused a message: it is sent again, marked DUP. */
    void redeliver(int packetId) {
        InflightMessage m = inflight.get(packetId);
        if (m != null && outlet != null && !m.released) {
            outlet.sendPublish(m.delivery, packetId, true);
        }
    }

    /** Puts back a message from the store: released ones wait for PUBCOMP, the others are queued in order. */
    void restore(Delivery d, boolean released) {
        if (released) {
            InflightMessage m = new InflightMessage(d.stored().packetId(), d);
            m.released = true;
            inflightForUpdate().put(m.packetId, m);
        } else {
            add(d);
        }
    }

    /** What a client has not received yet, nor acknowledged: in-flight messages before their PUBREC, and the queue. */
    List<Delivery> unfinished() {
        List<Delivery> out = new ArrayList<>();
        inflight.values().stream().filter(m -> !m.released).forEach(m -> out.add(m.delivery));
        out.addAll(queue);
        return out;
    }

    /**
     * Everything unfinished as entries in sending order, for a move to another node: the in-flight messages (PUBREL
     * sent or not), then the queue. A message the client may already have keeps its packet id (its entry's number
     * is picked for it) [MQTT-4.4.0-1]; {@code messages} gets each entry's message under its entry's number.
     */
    List<StoredEntry> handOver(Map<Long, Publication> messages) {
        List<StoredEntry> entries = new ArrayList<>(inflight.size() + queue.size());
        long seq = 0;
        for (InflightMessage m : inflight.values()) {
            seq = StoredEntry.seqAfter(seq, m.packetId);
            entries.add(entry(seq, m.delivery, m.released, messages));
        }
        for (Delivery d : queue) {
            seq = d.maybeSent() && d.stored() != null ? StoredEntry.seqAfter(seq, d.stored().packetId()) : seq + 1;
            entries.add(entry(seq, d, false, messages));
        }
        return entries;
    }

    private static StoredEntry entry(long seq, Delivery d, boolean released, Map<Long, Publication> messages) {
        messages.put(seq, d.publication());
        return new StoredEntry(seq, seq, d.qos(), d.retainFlag(), d.subscriptionIds(), released,
                d.stored() == null ? null : d.stored().origin());
    }

    /** Drops everything (the session ended). */
    void clear() {
        services.queuedTotal().addAndGet(-queue.size());
        queue.clear();
        services.metrics().queuedPayloadBytes.add(-queuedBytes);
        queuedBytes = 0;
        inflight = Map.of();
    }

    int inflightCount() {
        return inflight.size();
    }

    int queuedCount() {
        return queue.size();
    }

    long droppedQos0Offline() {
        return droppedQos0Offline;
    }

    private Map<Integer, InflightMessage> inflightForUpdate() {
        if (!(inflight instanceof LinkedHashMap)) {
            inflight = new LinkedHashMap<>();
        }
        return inflight;
    }
}
