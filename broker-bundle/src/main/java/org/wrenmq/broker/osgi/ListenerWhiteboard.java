package org.wrenmq.broker.osgi;

import java.util.HashMap;
import java.util.Map;
import org.osgi.framework.Constants;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.osgi.service.component.annotations.ReferencePolicyOption;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.wrenmq.api.MqttListenerProperties;
import org.wrenmq.api.MqttMessageListener;

/**
 * The whiteboard: every {@link MqttMessageListener} service with a {@code topicFilter} property is subscribed to
 * the running broker through a {@link ListenerEndpoint} of its own, until the service goes away or the broker
 * stops. The broker reference is static, so a broker restarted with a new configuration gets a new whiteboard
 * that binds every listener again.
 */
@Component(immediate = true, service = {})
public final class ListenerWhiteboard {
    private static final Logger LOG = LoggerFactory.getLogger(ListenerWhiteboard.class);

    private final BrokerRuntime broker;
    /** By service id. Guarded by this. */
    private final Map<Long, ListenerEndpoint> endpoints = new HashMap<>();

    @Activate
    public ListenerWhiteboard(@Reference BrokerRuntime broker) {
        this.broker = broker;
    }

    @Reference(name = "messageListeners", cardinality = ReferenceCardinality.MULTIPLE,
            policy = ReferencePolicy.DYNAMIC, policyOption = ReferencePolicyOption.GREEDY,
            target = "(" + MqttListenerProperties.TOPIC_FILTER + "=*)")
    synchronized void addListener(MqttMessageListener listener, Map<String, Object> properties) {
        long serviceId = serviceId(properties);
        try {
            endpoints.put(serviceId, ListenerEndpoint.open(broker, listener, ListenerSpec.from(properties)));
        } catch (RuntimeException e) {
            LOG.error("MqttMessageListener service {} {} cannot be subscribed: {}", serviceId, properties, e, e);
        }
    }

    synchronized void updatedListener(MqttMessageListener listener, Map<String, Object> properties) {
        removeListener(properties);
        addListener(listener, properties);
    }

    synchronized void removeListener(Map<String, Object> properties) {
        ListenerEndpoint endpoint = endpoints.remove(serviceId(properties));
        if (endpoint != null) {
            endpoint.close();
        }
    }

    /** Ends every listener's delivery; persistent sessions stay in the broker's store. */
    @Deactivate
    synchronized void close() {
        endpoints.values().forEach(ListenerEndpoint::close);
        endpoints.clear();
    }

    private static long serviceId(Map<String, Object> properties) {
        return (Long) properties.get(Constants.SERVICE_ID);
    }
}
