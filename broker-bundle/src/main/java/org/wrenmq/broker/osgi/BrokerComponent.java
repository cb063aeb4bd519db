package org.wrenmq.broker.osgi;

import java.io.File;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletionStage;
import org.osgi.framework.BundleContext;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.ConfigurationPolicy;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.metatype.annotations.Designate;
import org.wrenmq.api.MqttBroker;
import org.wrenmq.api.MqttMessage;
import org.wrenmq.api.MqttPublisher;
import org.wrenmq.api.QoS;
import org.wrenmq.broker.Broker;
import org.wrenmq.broker.BrokerConfig;
import org.wrenmq.broker.LocalSession;

/**
 * One running broker per configuration of pid {@code org.wrenmq.broker}, registered as {@link MqttBroker},
 * {@link MqttPublisher} and, for the {@link ListenerWhiteboard}, {@link BrokerRuntime}.
 *
 * <p>The configuration is required: without it the component would bind port 1883 before the real
 * configuration arrives. A changed configuration deactivates this instance (closing every port and thread of the
 * old broker) and activates a new one on the same store, so persistent sessions, their subscriptions and queued
 * messages carry over; the whiteboard follows, as it references this component statically. There is no
 * {@code @Modified} method on purpose: the broker's settings are fixed at build time.
 */
@Component(name = BrokerComponent.PID, configurationPid = BrokerComponent.PID,
        configurationPolicy = ConfigurationPolicy.REQUIRE, immediate = true,
        service = {MqttBroker.class, MqttPublisher.class, BrokerRuntime.class})
@Designate(ocd = BrokerConfiguration.class)
public final class BrokerComponent implements BrokerRuntime, MqttPublisher {

    static final String PID = "org.wrenmq.broker";
    /** Where the store lives when the configuration names no {@code persistence_location}. */
    static final String DEFAULT_STORE_DIRECTORY = "store";
    /** The container's JAAS realm that checks MQTT users instead of a password_file (OSGi only). */
    static final String JAAS_REALM = "jaas_realm";

    private volatile Broker broker;

    @Activate
    void activate(BundleContext context, Map<String, Object> properties) {
        Map<String, Object> settings = brokerSettings(context, properties);
        Object realm = settings.remove(JAAS_REALM);
        Broker.Builder builder = Broker.builder().config(BrokerConfig.fromMap(settings)).json(OsgiJson.writer());
        if (realm != null && !realm.toString().isBlank()) {
            builder.users(new JaasUserDirectory(realm.toString().strip()));
        }
        broker = builder.build().start();
    }

    @Deactivate
    void deactivate() {
        Broker stopping = broker;
        broker = null;
        stopping.close();
    }

    @Override
    public CompletionStage<Void> publish(MqttMessage message) {
        return running().publish(message);
    }

    @Override
    public CompletionStage<Void> publishJson(String topic, Object value, QoS qos) {
        return running().publishJson(topic, value, qos);
    }

    @Override
    public List<ClientInfo> clients() {
        return running().clients();
    }

    @Override
    public List<SubscriptionInfo> subscriptions() {
        return running().subscriptions();
    }

    @Override
    public Map<String, Long> counters() {
        return running().counters();
    }

    @Override
    public List<BridgeInfo> bridges() {
        return running().bridges();
    }

    @Override
    public Optional<ClientDetails> client(String clientId) {
        return running().client(clientId);
    }

    @Override
    public boolean disconnect(String clientId) {
        return running().disconnect(clientId);
    }

    @Override
    public List<MqttMessage> retained(String topicFilter, int limit) {
        return running().retained(topicFilter, limit);
    }

    @Override
    public boolean deleteRetained(String topic) {
        return running().deleteRetained(topic);
    }

    @Override
    public LocalSession openLocalSession(String clientId, boolean cleanStart, int receiveMaximum,
                                         LocalSession.Handler handler) {
        return running().openLocalSession(clientId, cleanStart, receiveMaximum, handler);
    }

    private Broker running() {
        Broker current = broker;
        if (current == null) {
            throw new IllegalStateException("the WrenMQ broker is stopped");
        }
        return current;
    }

    /**
     * The configuration as {@link BrokerConfig#fromMap} reads it (which skips framework keys and blank values).
     * Without {@code persistence_location} the store goes to this bundle's data area: a relative path would land
     * wherever the framework was started.
     */
    private static Map<String, Object> brokerSettings(BundleContext context, Map<String, Object> properties) {
        Map<String, Object> settings = new HashMap<>(properties);
        File dataArea = context.getDataFile(DEFAULT_STORE_DIRECTORY);
        Object location = settings.get("persistence_location");
        if ((location == null || location.toString().isBlank()) && dataArea != null) {
            settings.put("persistence_location", dataArea.getPath());
        }
        return settings;
    }
}
