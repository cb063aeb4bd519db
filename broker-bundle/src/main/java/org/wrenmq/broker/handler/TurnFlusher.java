package org.wrenmq.broker.handler;

import io.netty.channel.Channel;
import io.netty.channel.ChannelOutboundBuffer;
import io.netty.util.concurrent.FastThreadLocal;
import java.util.ArrayList;
import org.wrenmq.broker.Limits;

/**
 * Flushes every connection an event loop wrote to during one turn (its I/O events and the tasks queued behind
 * them), once per connection, when that work is done.
 *
 * <p>Why: a read from one client can carry many packets (a publisher catching up after a stall, a QoS 1 burst),
 * and a task handed over from another loop can carry many messages for the same subscriber. Flushing each
 * packet at once cost a syscall per packet and woke the subscriber's process once per packet; on a small
 * machine that process then took the core from the broker between two packets. mosquitto 2 defers its writes to
 * the next turn of its loop for the same reason.
 *
 * <p>How: a write made on the event loop only queues the packet in the channel and remembers the connection;
 * the first one in a turn queues this flusher as a task. Netty runs queued tasks right after the I/O events of
 * the turn, so a packet waits for the rest of the turn only, never for the next read. Writes from other threads
 * (the store's commit callbacks) are flushed at once: they reach the loop as a task of their own anyway.
 *
 * <p>A turn can be long: each publisher's connection may be read many times in it, megabytes in all, which takes
 * seconds on a broker just started (the JIT compiler busy) or short of CPU. So a connection's writes wait for the
 * end of the turn or until {@link Limits#WRITE_FLUSH_BYTES} have gathered, whichever comes first: without that
 * bound, a subscriber got nothing until a megabyte had gathered (the high-water mark), and one that gave up after
 * seconds of silence was cut off with most of the messages still in the broker (issue 15's stalled fan-in).
 *
 * <p>Writability is honoured: queued bytes count towards the channel's high-water mark, and a write that crosses it
 * is flushed at once, so a turn that reads megabytes from many publishers fills the subscriber's socket as it goes
 * instead of leaving the session to queue (and drop) what the socket could have taken. A session stops sending
 * to a client whose socket is full, and resumes on the writability event.
 */
final class TurnFlusher implements Runnable {
    private static final FastThreadLocal<TurnFlusher> OF_THIS_LOOP = new FastThreadLocal<>() {
        @Override
        protected TurnFlusher initialValue() {
            return new TurnFlusher();
        }
    };

    private ArrayList<MqttConnectionHandler> pending = new ArrayList<>();
    /** The list being flushed, kept to be reused: a flush may queue writes for the next round. */
    private ArrayList<MqttConnectionHandler> flushing = new ArrayList<>();

    private TurnFlusher() {
    }

    /** Writes {@code packet} on {@code c}'s channel and flushes it at the end of this turn. On the event loop only. */
    static void write(MqttConnectionHandler c, Object packet) {
        Channel channel = c.channel;
        ChannelOutboundBuffer buffer = channel.unsafe().outboundBuffer();
        long pendingBefore = buffer == null ? 0 : buffer.totalPendingWriteBytes();
        channel.write(packet, channel.voidPromise());
        if (buffer != null) {
            c.unflushedBytes += Math.max(0, buffer.totalPendingWriteBytes() - pendingBefore);
        }
        if (!channel.isWritable() || c.unflushedBytes >= Limits.WRITE_FLUSH_BYTES) {
            // past the high-water mark, or enough for a socket write of its own: hand the socket what it takes now
            c.unflushedBytes = 0;
            channel.flush();
            return;
        }
        if (!c.flushQueued) {
            c.flushQueued = true;
            OF_THIS_LOOP.get().add(c);
        }
    }

    private void add(MqttConnectionHandler c) {
        if (pending.isEmpty()) {
            c.channel.eventLoop().execute(this);
        }
        pending.add(c);
    }

    @Override
    public void run() {
        ArrayList<MqttConnectionHandler> batch = pending;
        pending = flushing;
        flushing = batch;
        for (int i = 0; i < batch.size(); i++) {
            MqttConnectionHandler c = batch.get(i);
            c.flushQueued = false;
            c.unflushedBytes = 0;
            c.channel.flush();
        }
        batch.clear();
    }
}
