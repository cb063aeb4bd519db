package org.wrenmq.broker.jmx;

import java.lang.management.ManagementFactory;
import java.util.List;
import java.util.Map;
import javax.management.JMException;
import javax.management.MBeanServer;
import javax.management.ObjectName;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.wrenmq.api.MqttBroker;
import org.wrenmq.api.MqttBroker.ClientInfo;

/**
 * Registers one {@link BrokerMXBean} per running broker in the platform MBean server (which jconsole, VisualVM and,
 * in Karaf, Hawtio show), named after the broker's first MQTT listener so that brokers in one JVM do not clash.
 * Reads through the admin view ({@link MqttBroker}) only.
 */
public final class BrokerManagement implements BrokerMXBean, AutoCloseable {
    public static final String DOMAIN = "org.wrenmq";
    private static final Logger LOG = LoggerFactory.getLogger(BrokerManagement.class);

    private final MqttBroker broker;
    private final ObjectName name;
    private final MBeanServer server;

    private BrokerManagement(MqttBroker broker, ObjectName name, MBeanServer server) {
        this.broker = broker;
        this.name = name;
        this.server = server;
    }

    /** @return the registration, or null (logged) when the name is taken or JMX refuses it */
    public static BrokerManagement register(MqttBroker broker, String firstListener) {
        MBeanServer server = ManagementFactory.getPlatformMBeanServer();
        try {
            ObjectName name = new ObjectName(DOMAIN + ":type=Broker,listener=" + ObjectName.quote(firstListener));
            BrokerManagement bean = new BrokerManagement(broker, name, server);
            server.registerMBean(bean, name);
            return bean;
        } catch (JMException e) {
            LOG.warn("the broker's JMX MBean is not registered: {}", e.toString());
            return null;
        }
    }

    public ObjectName name() {
        return name;
    }

    @Override
    public void close() {
        try {
            server.unregisterMBean(name);
        } catch (JMException e) {
            LOG.debug("unregistering {}: {}", name, e.toString());
        }
    }

    @Override
    public long getClientsConnected() {
        return counter("connections.current");
    }

    @Override
    public long getSessions() {
        return counter("sessions");
    }

    @Override
    public long getSubscriptions() {
        return counter("subscriptions");
    }

    @Override
    public long getRetainedMessages() {
        return counter("retained.messages");
    }

    @Override
    public long getMessagesQueued() {
        return counter("messages.queued");
    }

    @Override
    public long getMessagesReceived() {
        return counter("messages.received");
    }

    @Override
    public long getMessagesSent() {
        return counter("messages.sent");
    }

    @Override
    public long getMessagesDropped() {
        Map<String, Long> c = broker.counters();
        return c.entrySet().stream().filter(e -> e.getKey().startsWith("messages.dropped."))
                .mapToLong(Map.Entry::getValue).sum();
    }

    @Override
    public long getBytesReceived() {
        return counter("bytes.received");
    }

    @Override
    public long getBytesSent() {
        return counter("bytes.sent");
    }

    @Override
    public Map<String, Long> getCounters() {
        return broker.counters();
    }

    @Override
    public String[] listClients() {
        List<ClientInfo> clients = broker.clients();
        return clients.stream().map(c -> c.clientId() + " " + (c.connected() ? c.remoteAddress() : "-") + " "
                + (c.connected() ? version(c.protocolVersion()) : "-")).sorted().toArray(String[]::new);
    }

    @Override
    public boolean disconnectClient(String clientId) {
        boolean done = broker.disconnect(clientId);
        if (done) {
            LOG.info("JMX: client '{}' disconnected", clientId);
        }
        return done;
    }

    @Override
    public boolean deleteRetained(String topic) {
        boolean done = broker.deleteRetained(topic);
        if (done) {
            LOG.info("JMX: retained message of '{}' deleted", topic);
        }
        return done;
    }

    private long counter(String name) {
        Long v = broker.counters().get(name);
        return v == null ? 0 : v;
    }

    private static String version(int protocolLevel) {
        switch (protocolLevel) {
            case 3: return "3.1";
            case 4: return "3.1.1";
            case 5: return "5.0";
            default: return String.valueOf(protocolLevel);
        }
    }
}
