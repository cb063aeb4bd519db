package org.wrenmq.broker.bridge;

import io.netty.channel.EventLoopGroup;
import io.netty.util.concurrent.Future;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.wrenmq.api.MqttBroker;
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

    /** Each bridge as {@code MqttBroker.bridges()} and {@code wrenmq:bridges} show it, in configuration order. */
    public List<MqttBroker.BridgeInfo> info() {
        return bridges.stream().map(Bridges::info).collect(Collectors.toList());
    }

    /** Per bridge: 1 connected, 0 not; out messages waiting; in and out counts. Named bridge.NAME.*. */
    public void addCounters(Map<String, Long> into) {
        for (MqttBroker.BridgeInfo b : info()) {
            String p = "bridge." + b.name() + ".";
            into.put(p + "connected", b.state() == MqttBroker.BridgeState.CONNECTED ? 1L : 0L);
            into.put(p + "messages.waiting", b.waiting());
            into.put(p + "messages.forwarded", b.forwarded());
            into.put(p + "messages.received", b.received());
            b.dropped().forEach((reason, n) -> into.put(p + "messages.dropped." + reason, n));
        }
    }

    private static MqttBroker.BridgeInfo info(Bridge b) {
        Map<String, Long> dropped = new LinkedHashMap<>();
        dropped.put("qos0_offline", b.droppedOffline());
        dropped.put("too_large", b.droppedTooLarge());
        return new MqttBroker.BridgeInfo(b.config().name(), state(b.state()), b.remoteAddress(),
                b.config().remoteClientId(), b.waiting(), b.forwarded(), b.received(), dropped);
    }

    private static MqttBroker.BridgeState state(Bridge.State s) {
        switch (s) {
            case CONNECTED: return MqttBroker.BridgeState.CONNECTED;
            case CONNECTING: return MqttBroker.BridgeState.CONNECTING;
            default: return MqttBroker.BridgeState.DOWN;
        }
    }

    private static void run(Bridge b, Runnable action) {
        Future<?> f = b.loop().submit(action);
        f.syncUninterruptibly();
    }
}
