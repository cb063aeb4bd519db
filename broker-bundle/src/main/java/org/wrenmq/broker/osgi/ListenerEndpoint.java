package org.wrenmq.broker.osgi;

import java.util.HashSet;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.wrenmq.api.MqttBroker.SubscriptionInfo;
import org.wrenmq.api.MqttMessage;
import org.wrenmq.api.MqttMessageListener;
import org.wrenmq.api.QoS;
import org.wrenmq.broker.LocalSession;

/**
 * Delivers one listener's messages: an in-VM session subscribed to its filters, and one thread of its own that
 * calls the listener in arrival order, so a slow listener holds up nobody else and the broker's threads never run
 * user code.
 *
 * <p>At least once: a QoS 1/2 message is acknowledged only after {@link MqttMessageListener#onMessage} returned;
 * when it throws, the message is rejected and the broker delivers it again, after a short delay and with the dup
 * flag. A QoS 0 message has no second chance.
 */
final class ListenerEndpoint implements LocalSession.Handler {
    private static final Logger LOG = LoggerFactory.getLogger(ListenerEndpoint.class);

    /** Messages handed to one listener and not yet acknowledged: bounds what a slow listener holds in memory. */
    static final int RECEIVE_MAXIMUM = 16;
    /** How long closing waits for a listener call in progress. */
    static final long CLOSE_TIMEOUT_SECONDS = 5;

    private final MqttMessageListener listener;
    private final ListenerSpec spec;
    private final ExecutorService executor;
    private LocalSession session;

    private ListenerEndpoint(MqttMessageListener listener, ListenerSpec spec) {
        this.listener = listener;
        this.spec = spec;
        this.executor = Executors.newSingleThreadExecutor(runnable -> {
            Thread thread = new Thread(runnable, "wrenmq-listener " + spec.clientId());
            thread.setDaemon(true);
            return thread;
        });
    }

    static ListenerEndpoint open(BrokerRuntime broker, MqttMessageListener listener, ListenerSpec spec) {
        ListenerEndpoint endpoint = new ListenerEndpoint(listener, spec);
        try {
            endpoint.session = broker.openLocalSession(spec.clientId(), !spec.persistent(), RECEIVE_MAXIMUM,
                    endpoint);
            endpoint.unsubscribeFiltersNoLongerWanted(broker);
            spec.topicFilters().forEach(filter -> endpoint.session.subscribe(filter, spec.qos()));
            return endpoint;
        } catch (RuntimeException e) {
            endpoint.close();
            throw e;
        }
    }

    /** A persistent session remembers the filters of the listener's previous registration. */
    private void unsubscribeFiltersNoLongerWanted(BrokerRuntime broker) {
        if (!spec.persistent()) {
            return;
        }
        Set<String> stale = new HashSet<>();
        for (SubscriptionInfo subscription : broker.subscriptions()) {
            if (subscription.clientId().equals(spec.clientId())
                    && !spec.topicFilters().contains(subscription.topicFilter())) {
                stale.add(subscription.topicFilter());
            }
        }
        stale.forEach(session::unsubscribe);
    }

    /** Called on a broker thread: only hands the message over. */
    @Override
    public void onMessage(MqttMessage message, LocalSession.Acknowledgement ack) {
        try {
            executor.execute(() -> deliver(message, ack));
        } catch (RejectedExecutionException closing) {
            // Closing: left unacknowledged, a QoS 1/2 message stays with the session for the next delivery.
        }
    }

    private void deliver(MqttMessage message, LocalSession.Acknowledgement ack) {
        try {
            listener.onMessage(message);
            ack.accept();
        } catch (RuntimeException e) {
            if (message.qos() == QoS.AT_MOST_ONCE) {
                LOG.warn("MqttMessageListener {} failed on {}; QoS 0, not delivered again", spec.clientId(),
                        message, e);
                ack.accept();
            } else {
                LOG.warn("MqttMessageListener {} failed on {}; it will be delivered again", spec.clientId(),
                        message, e);
                ack.reject();
            }
        }
    }

    /** Stops calling the listener, then closes the session (a persistent one stays in the broker). */
    void close() {
        executor.shutdownNow();
        try {
            if (!executor.awaitTermination(CLOSE_TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
                LOG.warn("MqttMessageListener {} still busy after {} s; closing its session anyway",
                        spec.clientId(), CLOSE_TIMEOUT_SECONDS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        if (session != null) {
            session.close();
        }
    }
}
