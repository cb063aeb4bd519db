package org.wrenmq.broker.handler;

import io.netty.channel.EventLoop;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.wrenmq.broker.time.BrokerClock;

/** One {@link KeepAliveSweep} per event loop, started when the loop's first connection with a keepalive needs it. */
public final class KeepAliveSweeps {
    private final Map<EventLoop, KeepAliveSweep> byLoop = new ConcurrentHashMap<>();
    private final BrokerClock clock;

    public KeepAliveSweeps(BrokerClock clock) {
        this.clock = clock;
    }

    KeepAliveSweep of(EventLoop loop) {
        return byLoop.computeIfAbsent(loop, l -> KeepAliveSweep.start(l, clock));
    }
}
