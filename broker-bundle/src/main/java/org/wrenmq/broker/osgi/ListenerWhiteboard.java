package org.wrenmq.broker.osgi;

import java.util.HashMap;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.wrenmq.api.MqttMessageListener;
import org.wrenmq.broker.Broker;

/**
 * The {@code MqttMessageListener} services known to one broker component, each served by a
 * {@link ListenerEndpoint} while the broker runs. Listeners may come before the broker has started (DS binds
 * references before activation) and after; both paths end in {@link ListenerEndpoint#open}.
 */
final class ListenerWhiteboard {
    private static final Logger LOG = LoggerFactory.getLogger(ListenerWhiteboard.class);

    private final Map<Long, Listener> listeners = new HashMap<>();
    private Broker broker;

    /** A listener service and, while the broker runs, the endpoint serving it. Guarded by the whiteboard. */
    private static final class Listener {
        final MqttMessageListener service;
        final ListenerSpec spec;
        ListenerEndpoint endpoint;

        Listener(MqttMessageListener service, ListenerSpec spec) {
            this.service = service;
            this.spec = spec;
        }
    }

    synchronized void open(Broker started) {
        broker = started;
        listeners.forEach((serviceId, listener) -> attach(serviceId, listener));
    }

    synchronized void add(long serviceId, MqttMessageListener service, ListenerSpec spec) {
        Listener listener = new Listener(service, spec);
        listeners.put(serviceId, listener);
        if (broker != null) {
            attach(serviceId, listener);
        }
    }

    synchronized void remove(long serviceId) {
        Listener listener = listeners.remove(serviceId);
        if (listener != null) {
            detach(listener);
        }
    }

    /** Ends every listener's delivery; the persistent sessions stay in the broker's store. */
    synchronized void close() {
        listeners.values().forEach(this::detach);
        broker = null;
    }

    private void attach(long serviceId, Listener listener) {
        try {
            listener.endpoint = ListenerEndpoint.open(broker, listener.service, listener.spec);
        } catch (RuntimeException e) {
            LOG.error("MqttMessageListener service {} ({}) cannot be subscribed: {}", serviceId,
                    listener.spec.topicFilters(), e.toString(), e);
        }
    }

    private void detach(Listener listener) {
        if (listener.endpoint != null) {
            listener.endpoint.close();
            listener.endpoint = null;
        }
    }
}
