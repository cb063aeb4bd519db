package org.wrenmq.broker.jmx;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.lang.management.ManagementFactory;
import java.rmi.registry.LocateRegistry;
import java.rmi.registry.Registry;
import java.rmi.server.UnicastRemoteObject;
import java.time.Duration;
import java.util.Set;
import javax.management.MBeanServer;
import javax.management.MBeanServerConnection;
import javax.management.ObjectName;
import javax.management.openmbean.CompositeData;
import javax.management.openmbean.TabularData;
import javax.management.remote.JMXConnector;
import javax.management.remote.JMXConnectorFactory;
import javax.management.remote.JMXConnectorServer;
import javax.management.remote.JMXConnectorServerFactory;
import javax.management.remote.JMXServiceURL;
import org.eclipse.paho.client.mqttv3.MqttClient;
import org.eclipse.paho.client.mqttv3.persist.MemoryPersistence;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.wrenmq.broker.Broker;

/** The broker's MXBean: figures and operations through the platform MBean server, and through an RMI connector. */
class BrokerMBeanTests {
    private Broker broker;
    private MqttClient client;
    private ObjectName name;

    @BeforeEach
    void start() throws Exception {
        broker = Broker.builder().listener(0, "127.0.0.1").set("allow_anonymous", "true")
                .set("persistence", "false").set("sys_interval", "0").build().start();
        name = new ObjectName("org.wrenmq:type=Broker,listener=\"127.0.0.1:" + broker.port() + "\"");
        client = new MqttClient("tcp://127.0.0.1:" + broker.port(), "meter-7", new MemoryPersistence());
        client.connect();
        client.publish("site/meter", "42".getBytes(), 1, true);
    }

    @AfterEach
    void stop() throws Exception {
        if (client.isConnected()) {
            client.disconnect();
        }
        client.close();
        broker.close();
    }

    @Test
    void thePlatformMBeanServerShowsTheFiguresAndRunsTheOperations() throws Exception {
        MBeanServer server = ManagementFactory.getPlatformMBeanServer();
        assertThat(server.queryNames(new ObjectName("org.wrenmq:type=Broker,*"), null)).contains(name);
        assertThat(server.getAttribute(name, "ClientsConnected")).isEqualTo(1L);
        assertThat(server.getAttribute(name, "MessagesReceived")).isEqualTo(1L);
        assertThat(server.getAttribute(name, "RetainedMessages")).isEqualTo(1L);
        assertThat((String[]) server.invoke(name, "listClients", null, null))
                .singleElement().asString().startsWith("meter-7 127.0.0.1:").endsWith(" 3.1.1");
        TabularData counters = (TabularData) server.getAttribute(name, "Counters");
        CompositeData received = counters.get(new Object[] {"messages.received.qos1"});
        assertThat(received.get("value")).isEqualTo(1L);

        assertThat(server.invoke(name, "deleteRetained", new Object[] {"site/meter"},
                new String[] {String.class.getName()})).isEqualTo(true);
        assertThat(server.getAttribute(name, "RetainedMessages")).isEqualTo(0L);
        assertThat(server.invoke(name, "disconnectClient", new Object[] {"meter-7"},
                new String[] {String.class.getName()})).isEqualTo(true);
        await().atMost(Duration.ofSeconds(10)).until(() -> !client.isConnected());
    }

    @Test
    void aJmxClientReachesTheBrokerThroughAnRmiConnector() throws Exception {
        int port;
        try (java.net.ServerSocket s = new java.net.ServerSocket(0)) {
            port = s.getLocalPort();
        }
        Registry registry = LocateRegistry.createRegistry(port);
        JMXServiceURL url = new JMXServiceURL("service:jmx:rmi:///jndi/rmi://127.0.0.1:" + port + "/jmxrmi");
        JMXConnectorServer connectorServer = JMXConnectorServerFactory.newJMXConnectorServer(url, null,
                ManagementFactory.getPlatformMBeanServer());
        connectorServer.start();
        try (JMXConnector connector = JMXConnectorFactory.connect(url)) {
            MBeanServerConnection remote = connector.getMBeanServerConnection();
            Set<ObjectName> names = remote.queryNames(new ObjectName("org.wrenmq:*"), null);
            assertThat(names).contains(name);
            assertThat(remote.getAttribute(name, "ClientsConnected")).isEqualTo(1L);
            assertThat(remote.invoke(name, "disconnectClient", new Object[] {"nobody"},
                    new String[] {String.class.getName()})).isEqualTo(false);
        } finally {
            connectorServer.stop();
            UnicastRemoteObject.unexportObject(registry, true);
        }
    }

    @Test
    void theMBeanIsGoneWhenTheBrokerStops() throws Exception {
        client.disconnect();
        broker.close();
        assertThat(ManagementFactory.getPlatformMBeanServer().isRegistered(name)).isFalse();
    }

    @Test
    void jmxRegistrationFalseRegistersNothing() throws Exception {
        try (Broker unseen = Broker.builder().listener(0, "127.0.0.1").set("allow_anonymous", "true")
                .set("persistence", "false").set("jmx_registration", "false").build().start()) {
            ObjectName unseenName = new ObjectName("org.wrenmq:type=Broker,listener=\"127.0.0.1:" + unseen.port()
                    + "\"");
            assertThat(ManagementFactory.getPlatformMBeanServer().isRegistered(unseenName)).isFalse();
            assertThat(ManagementFactory.getPlatformMBeanServer().isRegistered(name)).as("the other broker's")
                    .isTrue();
        }
    }
}
