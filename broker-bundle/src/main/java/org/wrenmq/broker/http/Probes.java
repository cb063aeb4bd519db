package org.wrenmq.broker.http;

import io.netty.channel.Channel;
import io.netty.util.concurrent.EventExecutorGroup;
import java.util.List;
import org.wrenmq.broker.store.MessageStore;

/**
 * What {@code /health} and {@code /ready} check. Each answer is null when all is well, or a short reason an
 * operator can act on (it becomes the body of the 503 response).
 */
public final class Probes {
    private final List<Channel> mqttListeners;
    private final EventExecutorGroup eventLoops;
    private final MessageStore store;

    /** @param mqttListeners the broker's bound MQTT server sockets */
    public Probes(List<Channel> mqttListeners, EventExecutorGroup eventLoops, MessageStore store) {
        this.mqttListeners = List.copyOf(mqttListeners);
        this.eventLoops = eventLoops;
        this.store = store;
    }

    /** Live: the broker's event loops run (a stop has not begun). */
    String notLiveReason() {
        return eventLoops.isShuttingDown() ? "broker is stopping" : null;
    }

    /** Ready: live, every MQTT listener open, and the store takes writes. */
    String notReadyReason() {
        String notLive = notLiveReason();
        if (notLive != null) {
            return notLive;
        }
        for (Channel listener : mqttListeners) {
            if (!listener.isActive()) {
                return "MQTT listener " + listener.localAddress() + " is closed";
            }
        }
        return store.writable() ? null : "store is not writable";
    }
}
