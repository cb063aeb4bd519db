package org.wrenmq.broker.osgi;

import org.wrenmq.api.MqttBroker;
import org.wrenmq.broker.LocalSession;

/**
 * The running broker as the listener whiteboard needs it: in-VM sessions, and the subscriptions a persistent one
 * already has. A service inside this bundle only (its package is not exported).
 *
 * <p>It is a service, not a field shared with {@link BrokerComponent}, to break a cycle: a listener component
 * commonly references {@code MqttPublisher}; if the component that publishes also bound the listeners, activating
 * it would need the listener, which needs it.
 */
public interface BrokerRuntime extends MqttBroker {

    /** @see org.wrenmq.broker.Broker#openLocalSession */
    LocalSession openLocalSession(String clientId, boolean cleanStart, int receiveMaximum,
                                  LocalSession.Handler handler);
}
