package org.wrenmq.broker.bridge;

import io.netty.channel.EventLoopGroup;
import io.netty.util.concurrent.Future;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.wrenmq.broker.BridgeConfig;
import org.wrenmq.broker.session.SessionServices;

/** The bridges of one broker: started after the store is restored, stopped before the event loops end. */
public final class Bridges {
    private final List<Bridge> bridges;

    private Bridges(List<Bridge> bridges) {
        this.bridges = List.copyOf(bridges);
    }

    /** @throws org.wrenmq.broker.ConfigException when a bridge's TLS files cannot be read */
    public static Bridges start(List<BridgeConfig> configs, SessionServices services, EventLoopGroup loops) {
        List<Bridge> all = new ArrayList<>();
        for (BridgeConfig c : configs) {
            all.add(new Bridge(c, services, loops.next(), BridgeTls.context(c)));
        }
        Bridges b = new Bridges(all);
        for (Bridge bridge : all) {
            run(bridge, bridge::start);
        }
        return b;
    }

    public List<Bridge> all() {
        return bridges;
    }

    /** Ends every link (with DISCONNECT); the local sessions stay in the store. */
    public void stop() {
        bridges.forEach(b -> run(b, b::stop));
    }

    /** Per bridge: 1 connected, 0 not; out messages waiting; in and out counts. Named bridge.NAME.*. */
    public void addCounters(Map<String, Long> into) {
        for (Bridge b : bridges) {
            String p = "bridge." + b.config().name() + ".";
            into.put(p + "connected", b.state() == Bridge.State.CONNECTED ? 1L : 0L);
            into.put(p + "messages.waiting", b.waiting());
            into.put(p + "messages.forwarded", b.forwarded());
            into.put(p + "messages.received", b.received());
            into.put(p + "messages.dropped.qos0_offline", b.droppedOffline());
            into.put(p + "messages.dropped.too_large", b.droppedTooLarge());
        }
    }

    private static void run(Bridge b, Runnable action) {
        Future<?> f = b.loop().submit(action);
        f.syncUninterruptibly();
    }
}
