package org.wrenmq.broker.admin;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.wrenmq.api.MqttBroker.ClientDetails;
import org.wrenmq.api.MqttBroker.ClientInfo;
import org.wrenmq.api.MqttBroker.SubscriptionInfo;
import org.wrenmq.api.MqttMessage;
import org.wrenmq.api.QoS;
import org.wrenmq.broker.message.Publication;
import org.wrenmq.broker.metrics.SysTopics;
import org.wrenmq.broker.routing.RetainedTree;
import org.wrenmq.broker.routing.Subscription;
import org.wrenmq.broker.routing.Topics;
import org.wrenmq.broker.session.Outlet;
import org.wrenmq.broker.session.Session;
import org.wrenmq.broker.session.SessionRegistry;
import org.wrenmq.broker.store.MessageStore;
import org.wrenmq.broker.time.BrokerClock;

/**
 * What the admin view ({@code MqttBroker}) shows and does beyond the counters: session details, disconnecting a
 * client, browsing and deleting retained messages. Session figures are read from outside the session's thread,
 * as every admin list does: a snapshot that may be a moment old, never a lock on the delivery path.
 */
public final class AdminOperations {
    private final SessionRegistry sessions;
    private final RetainedTree retained;
    private final MessageStore store;
    private final BrokerClock clock;

    public AdminOperations(SessionRegistry sessions, RetainedTree retained, MessageStore store, BrokerClock clock) {
        this.sessions = sessions;
        this.retained = retained;
        this.store = store;
        this.clock = clock;
    }

    public static ClientInfo infoOf(Session s) {
        Outlet o = s.outlet();
        return new ClientInfo(s.clientId(), o != null, o == null ? null : o.remoteAddress(),
                o == null ? 0 : o.protocolVersion(), s.isPersistent(), s.inflightCount(), s.queuedCount());
    }

    public static List<SubscriptionInfo> subscriptionsOf(Session s) {
        List<SubscriptionInfo> out = new ArrayList<>();
        for (Subscription sub : s.subscriptions()) {
            out.add(new SubscriptionInfo(s.clientId(), sub.asSubscribed(), sub.qos()));
        }
        return out;
    }

    public Optional<ClientDetails> client(String clientId) {
        Session s = sessions.get(clientId);
        if (s == null) {
            return Optional.empty();
        }
        Outlet o = s.outlet();
        return Optional.of(new ClientDetails(infoOf(s), o == null ? 0 : o.keepAliveSeconds(), subscriptionsOf(s)));
    }

    public boolean disconnect(String clientId) {
        Session s = sessions.get(clientId);
        if (s == null || s.outlet() == null) {
            return false;
        }
        s.execute(() -> {
            Outlet o = s.outlet();
            if (o != null) {
                o.disconnectByAdministrator();
            }
        });
        return true;
    }

    /** @throws IllegalArgumentException for a filter that is not a valid MQTT topic filter */
    public List<MqttMessage> retained(String topicFilter, int limit) {
        String error = Topics.topicFilterError(topicFilter);
        if (error != null) {
            throw new IllegalArgumentException(error);
        }
        List<MqttMessage> out = new ArrayList<>();
        long now = clock.millis();
        retained.match(topicFilter, p -> {
            if (out.size() < limit) {
                out.add(p.toApi(p.qos(), true, now));
            }
        });
        return out;
    }

    /** @throws IllegalArgumentException for a topic name that is not valid */
    public boolean deleteRetained(String topic) {
        String error = Topics.topicNameError(topic);
        if (error != null) {
            throw new IllegalArgumentException(error);
        }
        boolean[] found = {false};
        retained.match(topic, p -> found[0] = true);
        if (!found[0]) {
            return false;
        }
        Publication clear = Publication.simple(topic, new byte[0], QoS.AT_MOST_ONCE, true, null);
        retained.put(clear);
        if (store.durable() && !topic.startsWith(SysTopics.PREFIX)) {
            store.putRetained(clear);
        }
        return true;
    }
}
