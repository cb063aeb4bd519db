package org.wrenmq.it.osgi;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Hashtable;
import java.util.List;
import java.util.Set;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.eclipse.paho.client.mqttv3.MqttCallback;
import org.eclipse.paho.client.mqttv3.MqttClient;
import org.eclipse.paho.client.mqttv3.MqttConnectOptions;
import org.eclipse.paho.client.mqttv3.MqttException;
import org.eclipse.paho.client.mqttv3.IMqttDeliveryToken;
import org.eclipse.paho.client.mqttv3.persist.MemoryPersistence;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;
import org.osgi.framework.Bundle;
import org.osgi.framework.Constants;
import org.osgi.framework.ServiceRegistration;
import org.osgi.service.cm.Configuration;
import org.osgi.service.cm.ConfigurationAdmin;
import org.wrenmq.api.MqttBroker;
import org.wrenmq.api.MqttListenerProperties;
import org.wrenmq.api.MqttMessage;
import org.wrenmq.api.MqttMessageListener;
import org.wrenmq.api.MqttPublisher;
import org.wrenmq.api.QoS;
import org.wrenmq.it.support.Ports;

/**
 * The broker bundle's DS components in a real OSGi framework (Felix + SCR + Config Admin, in this JVM): configured
 * by pid {@code org.wrenmq.broker}, reached by real MQTT clients over loopback sockets, serving listener services
 * and the publisher service. One framework for the class; the last test stops the broker bundle.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class BrokerComponentsInOsgiTest {
    private static final Duration TIMEOUT = Duration.ofSeconds(20);
    private static final String BROKER_BUNDLE = "org.wrenmq.broker";
    private static final String PID = "org.wrenmq.broker";
    private static final int SHARED_MESSAGES = 20;

    @TempDir
    static Path work;
    static InProcessFramework osgi;
    static ConfigurationAdmin configAdmin;
    static Set<String> threadsWithoutBroker;
    static int port;
    static int httpPort;
    private final List<MqttClient> clients = new CopyOnWriteArrayList<>();

    @BeforeAll
    static void startFrameworkAndConfigureBroker() throws Exception {
        osgi = InProcessFramework.start(Path.of(System.getProperty("wrenmq.bundles", "target/bundles")),
                work.resolve("framework"));
        configAdmin = osgi.service(ConfigurationAdmin.class, TIMEOUT);
        assertThat(osgi.context().getServiceReference(MqttPublisher.class))
                .as("no broker before its configuration exists").isNull();
        threadsWithoutBroker = liveThreadNames();
        port = Ports.free();
        httpPort = Ports.free();
        configure(port);
        await().atMost(TIMEOUT).until(() -> Ports.listening(port));
    }

    @AfterAll
    static void stopFramework() {
        if (osgi != null) {
            osgi.close();
        }
    }

    @AfterEach
    void closeClients() throws MqttException {
        for (MqttClient client : clients) {
            if (client.isConnected()) {
                client.disconnect();
            }
            client.close();
        }
    }

    @Test
    @Order(1)
    void brokerBundleExportsNothingAndDescribesItsConfiguration() {
        Bundle broker = osgi.bundle(BROKER_BUNDLE);
        assertThat(broker.getHeaders().get(Constants.EXPORT_PACKAGE)).isNull();
        assertThat(broker.findEntries("OSGI-INF/metatype", "*.xml", false)).isNotNull();
    }

    /** What config:meta and the web console show: a configuration made from it stays durable. */
    @Test
    @Order(1)
    void metatypeGivesTheBrokersDefaults() throws IOException {
        Bundle broker = osgi.bundle(BROKER_BUNDLE);
        String metatype;
        try (var in = broker.getEntry("OSGI-INF/metatype/org.wrenmq.broker.xml").openStream()) {
            metatype = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }

        assertThat(metatype).containsPattern("<AD id=\"persistence\"[^>]* default=\"true\"")
                .containsPattern("<AD id=\"max_inflight_messages\"[^>]* default=\"20\"")
                .containsPattern("<AD id=\"persistence_on_corruption\"[^>]* default=\"move_aside\"");
    }

    @Test
    @Order(2)
    void listenerServiceReceivesWhatAClientPublishes() throws Exception {
        BlockingQueue<MqttMessage> received = new LinkedBlockingQueue<>();
        ServiceRegistration<?> listener = registerListener("sensors/+/temperature", null, received::add);
        try {
            awaitSubscription("sensors/+/temperature");
            client("sensor-1", true).publish("sensors/kitchen/temperature",
                    "21.5".getBytes(StandardCharsets.UTF_8), 1, false);

            MqttMessage message = received.poll(TIMEOUT.toSeconds(), TimeUnit.SECONDS);
            assertThat(message).isNotNull();
            assertThat(message.topic()).isEqualTo("sensors/kitchen/temperature");
            assertThat(message.payloadAsString()).isEqualTo("21.5");
            assertThat(message.qos()).isEqualTo(QoS.AT_LEAST_ONCE);
        } finally {
            listener.unregister();
        }
    }

    @Test
    @Order(3)
    void listenerThatThrowsReceivesTheQos1MessageAgain() throws Exception {
        List<String> calls = new CopyOnWriteArrayList<>();
        ServiceRegistration<?> listener = registerListener("orders/new", null, message -> {
            calls.add(message.payloadAsString());
            if (calls.size() == 1) {
                throw new IllegalStateException("database down, try again");
            }
        });
        try {
            awaitSubscription("orders/new");
            client("shop", true).publish("orders/new", "order-42".getBytes(StandardCharsets.UTF_8), 1, false);

            await().atMost(TIMEOUT).until(() -> calls.size() >= 2);
            assertThat(calls).startsWith("order-42", "order-42");
        } finally {
            listener.unregister();
        }
    }

    @Test
    @Order(4)
    void listenersOfOneShareGroupEachGetTheirShareOfTheMessagesOnce() throws Exception {
        List<String> first = new CopyOnWriteArrayList<>();
        List<String> second = new CopyOnWriteArrayList<>();
        ServiceRegistration<?> one = registerListener("jobs/+", null, "workers", m -> first.add(m.payloadAsString()));
        ServiceRegistration<?> two = registerListener("jobs/+", null, "workers", m -> second.add(m.payloadAsString()));
        try {
            await().atMost(TIMEOUT).until(() -> subscriptionCount("$share/workers/jobs/+") == 2);
            MqttClient producer = client("producer", true);
            for (int i = 0; i < SHARED_MESSAGES; i++) {
                producer.publish("jobs/render", ("job-" + i).getBytes(StandardCharsets.UTF_8), 1, false);
            }

            await().atMost(TIMEOUT).until(() -> first.size() + second.size() >= SHARED_MESSAGES);
            List<String> all = new java.util.ArrayList<>(first);
            all.addAll(second);
            assertThat(all).hasSize(SHARED_MESSAGES).doesNotHaveDuplicates();
        } finally {
            one.unregister();
            two.unregister();
        }
    }

    @Test
    @Order(5)
    void publisherServiceReachesAClient() throws Exception {
        BlockingQueue<String> received = new LinkedBlockingQueue<>();
        MqttClient subscriber = client("alarm-panel", true);
        subscriber.subscribe("alerts/#", 1, (topic, message) -> received.add(topic + " " + message));

        publisher().publish("alerts/fire", "building B", QoS.AT_LEAST_ONCE)
                .toCompletableFuture().get(TIMEOUT.toSeconds(), TimeUnit.SECONDS);

        assertThat(received.poll(TIMEOUT.toSeconds(), TimeUnit.SECONDS)).isEqualTo("alerts/fire building B");
    }

    @Test
    @Order(6)
    void publisherServiceSerializesJsonInsideOsgi() throws Exception {
        BlockingQueue<String> received = new LinkedBlockingQueue<>();
        client("dashboard", true).subscribe("readings/#", 1, (topic, message) -> received.add(message.toString()));

        publisher().publishJson("readings/kitchen", new Reading("kitchen", 21.5), QoS.AT_LEAST_ONCE)
                .toCompletableFuture().get(TIMEOUT.toSeconds(), TimeUnit.SECONDS);

        assertThat(received.poll(TIMEOUT.toSeconds(), TimeUnit.SECONDS))
                .isEqualTo("{\"room\":\"kitchen\",\"temperature\":21.5}");
    }

    @Test
    @Order(7)
    void httpListenerServesMetricsAndReadinessInsideOsgi() throws Exception {
        HttpClient http = HttpClient.newHttpClient();
        HttpResponse<String> metrics = http.send(HttpRequest.newBuilder(
                URI.create("http://127.0.0.1:" + httpPort + "/metrics")).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(metrics.statusCode()).isEqualTo(200);
        assertThat(metrics.body()).contains("wrenmq_messages_received_total{qos=\"1\"}",
                "wrenmq_clients_connected");
        HttpResponse<String> ready = http.send(HttpRequest.newBuilder(
                URI.create("http://127.0.0.1:" + httpPort + "/ready")).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(ready.statusCode()).isEqualTo(200);
    }

    /** A value the publisher service serializes with JSON-B. */
    public record Reading(String room, double temperature) {
    }

    @Test
    @Order(8)
    void configurationChangeMovesThePortAndKeepsPersistentSessionsAndListeners() throws Exception {
        BlockingQueue<MqttMessage> listenerReceived = new LinkedBlockingQueue<>();
        ServiceRegistration<?> listener = registerListener("moved/listener", "test.listener.moved",
                listenerReceived::add);
        try {
            awaitSubscription("moved/listener");
            MqttClient away = client("away-client", false);
            away.subscribe("moved/client", 1);
            away.disconnect();

            int oldPort = port;
            port = Ports.free();
            configure(port);
            await().atMost(TIMEOUT).until(() -> !Ports.listening(oldPort) && Ports.listening(port));

            await().atMost(TIMEOUT).ignoreExceptions().untilAsserted(() -> publisher()
                    .publish("moved/client", "kept for you", QoS.AT_LEAST_ONCE)
                    .toCompletableFuture().get(TIMEOUT.toSeconds(), TimeUnit.SECONDS));
            BlockingQueue<String> queued = new LinkedBlockingQueue<>();
            clientWithCallback("away-client", false, (topic, message) -> queued.add(topic + " " + message));
            assertThat(queued.poll(TIMEOUT.toSeconds(), TimeUnit.SECONDS)).isEqualTo("moved/client kept for you");

            awaitSubscription("moved/listener");
            client("mover", true).publish("moved/listener", "still here?".getBytes(StandardCharsets.UTF_8), 1,
                    false);
            MqttMessage message = listenerReceived.poll(TIMEOUT.toSeconds(), TimeUnit.SECONDS);
            assertThat(message).isNotNull();
            assertThat(message.payloadAsString()).isEqualTo("still here?");
        } finally {
            listener.unregister();
        }
    }

    @Test
    @Order(9)
    void stoppingTheBundleClosesEveryPortAndThread() throws Exception {
        assertThat(brokerThreads()).as("the broker runs threads of its own").isNotEmpty();

        osgi.bundle(BROKER_BUNDLE).stop();

        assertThat(Ports.listening(port)).isFalse();
        await().atMost(TIMEOUT).untilAsserted(() -> assertThat(brokerThreads()).isEmpty());
    }

    private static void configure(int listenerPort) throws IOException {
        Hashtable<String, Object> properties = new Hashtable<>();
        // Strings, as Karaf's etc/*.cfg files deliver them.
        properties.put("port", Integer.toString(listenerPort));
        properties.put("bind_address", "127.0.0.1");
        properties.put("allow_anonymous", "true");
        properties.put("persistence", "true");
        properties.put("persistence_location", work.resolve("store").toString());
        properties.put("password_file", ""); // unset, as config tools write keys without a default
        properties.put("http_listener", Integer.toString(httpPort));
        Configuration configuration = configAdmin.getConfiguration(PID, "?");
        configuration.update(properties);
    }

    private static ServiceRegistration<?> registerListener(String topicFilter, String pid,
                                                           MqttMessageListener listener) {
        return registerListener(topicFilter, pid, null, listener);
    }

    private static ServiceRegistration<?> registerListener(String topicFilter, String pid, String shareGroup,
                                                           MqttMessageListener listener) {
        Hashtable<String, Object> properties = new Hashtable<>();
        if (shareGroup != null) {
            properties.put(MqttListenerProperties.SHARE_GROUP, shareGroup);
        }
        properties.put(MqttListenerProperties.TOPIC_FILTER, topicFilter);
        properties.put(MqttListenerProperties.QOS, 1);
        if (pid != null) {
            properties.put(Constants.SERVICE_PID, pid);
        }
        return osgi.context().registerService(MqttMessageListener.class, listener, properties);
    }

    private static void awaitSubscription(String topicFilter) {
        await().atMost(TIMEOUT).ignoreExceptions().until(() -> subscriptionCount(topicFilter) > 0);
    }

    private static long subscriptionCount(String topicFilter) throws InterruptedException {
        return osgi.service(MqttBroker.class, TIMEOUT).subscriptions().stream()
                .filter(s -> s.topicFilter().equals(topicFilter)).count();
    }

    private static MqttPublisher publisher() throws InterruptedException {
        return osgi.service(MqttPublisher.class, TIMEOUT);
    }

    private MqttClient client(String clientId, boolean cleanSession) throws MqttException {
        return clientWithCallback(clientId, cleanSession, null);
    }

    private MqttClient clientWithCallback(String clientId, boolean cleanSession, MessageHandler handler)
            throws MqttException {
        MqttClient client = new MqttClient("tcp://127.0.0.1:" + port, clientId, new MemoryPersistence());
        clients.add(client);
        if (handler != null) {
            client.setCallback(new MqttCallback() {
                @Override
                public void connectionLost(Throwable cause) {
                }

                @Override
                public void messageArrived(String topic, org.eclipse.paho.client.mqttv3.MqttMessage message) {
                    handler.handle(topic, new String(message.getPayload(), StandardCharsets.UTF_8));
                }

                @Override
                public void deliveryComplete(IMqttDeliveryToken token) {
                }
            });
        }
        MqttConnectOptions options = new MqttConnectOptions();
        options.setCleanSession(cleanSession);
        options.setConnectionTimeout((int) TIMEOUT.toSeconds());
        client.connect(options);
        return client;
    }

    @FunctionalInterface
    private interface MessageHandler {
        void handle(String topic, String payload);
    }

    /** Threads started since the broker was configured, less the test's own (Paho clients, Awaitility). */
    private static Set<String> brokerThreads() {
        return liveThreadNames().stream()
                .filter(name -> !threadsWithoutBroker.contains(name))
                // the test's own clients: Paho, Awaitility, and Java 17's HttpClient (which cannot be closed)
                .filter(name -> !name.startsWith("MQTT") && !name.startsWith("awaitility")
                        && !name.startsWith("ForkJoinPool.commonPool") && !name.startsWith("HttpClient-"))
                .collect(Collectors.toSet());
    }

    private static Set<String> liveThreadNames() {
        return Thread.getAllStackTraces().keySet().stream().filter(Thread::isAlive).map(Thread::getName)
                .collect(Collectors.toSet());
    }
}
