package org.wrenmq.broker.handler;

import io.netty.channel.EventLoop;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.wrenmq.broker.Limits;
import org.wrenmq.broker.time.BrokerClock;

/**
 * Closes connections whose client sent nothing for one and a half times its keepalive [MQTT-3.1.2-24].
 *
 * <p>Why a sweep: a timer per connection (Netty's {@code IdleStateHandler}) costs every connection a handler, its
 * pipeline context and a scheduled task, about 300 bytes, and is rescheduled each time it fires. Here each event
 * loop has one list of its connections that have a keepalive and looks through it once a second: a connection
 * costs a slot in the list, a packet costs one field write, and a silent client is closed at most a second after
 * its time ran out (mosquitto also checks once a second). Everything runs on the loop, so nothing is locked.
 */
public final class KeepAliveSweep {
    static final long INTERVAL_MILLIS = Limits.KEEPALIVE_CHECK_INTERVAL_MILLIS;

    private final List<MqttConnectionHandler> connections = new ArrayList<>();
    private final EventLoop loop;
    private final BrokerClock clock;

    private KeepAliveSweep(EventLoop loop, BrokerClock clock) {
        this.loop = loop;
        this.clock = clock;
    }

    /** The sweep of {@code loop}, sweeping from now on until the loop shuts down. */
    public static KeepAliveSweep start(EventLoop loop, BrokerClock clock) {
        KeepAliveSweep sweep = new KeepAliveSweep(loop, clock);
        sweep.scheduleNext();
        return sweep;
    }

    private void scheduleNext() {
        if (!loop.isShuttingDown()) {
            clock.schedule(loop, this::sweep, INTERVAL_MILLIS, TimeUnit.MILLISECONDS);
        }
    }

    /** Watches {@code c} from now; on the loop's thread. */
    void add(MqttConnectionHandler c) {
        c.keepAliveSlot = connections.size();
        connections.add(c);
    }

    /** Stops watching {@code c} (closed, or timed out); on the loop's thread; harmless when not watched. */
    void remove(MqttConnectionHandler c) {
        int slot = c.keepAliveSlot;
        if (slot < 0) {
            return;
        }
        MqttConnectionHandler last = connections.remove(connections.size() - 1);
        if (last != c) {
            connections.set(slot, last);
            last.keepAliveSlot = slot;
        }
        c.keepAliveSlot = -1;
    }

    private void sweep() {
        scheduleNext();
        long now = clock.nanos();
        // backwards, so that removing one (the last moves into its slot) skips none still to be looked at
        for (int i = connections.size() - 1; i >= 0; i--) {
            MqttConnectionHandler c = connections.get(i);
            if (now - c.lastPacketNanos > c.keepAliveLimitNanos && !ReadPause.paused(c)) {
                remove(c);
                c.keepAliveExpired();
            }
        }
    }
}
