package org.wrenmq.jca.outbound;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.eclipse.paho.mqttv5.client.IMqttToken;
import org.eclipse.paho.mqttv5.client.MqttAsyncClient;
import org.eclipse.paho.mqttv5.client.MqttCallback;
import org.eclipse.paho.mqttv5.client.MqttConnectionOptions;
import org.eclipse.paho.mqttv5.client.MqttDisconnectResponse;
import org.eclipse.paho.mqttv5.client.persist.MemoryPersistence;
import org.eclipse.paho.mqttv5.common.MqttException;
import org.eclipse.paho.mqttv5.common.MqttMessage;
import org.eclipse.paho.mqttv5.common.MqttSubscription;
import org.eclipse.paho.mqttv5.common.packet.MqttProperties;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.wrenmq.api.QoS;
import org.wrenmq.api.jca.MqttConnection;
import org.wrenmq.api.jca.MqttConnectionFactory;
import org.wrenmq.jca.WrenResourceAdapter;

/** Outside a server: the adapter's embedded broker, published to in-VM, read by a network client. */
class EmbeddedBrokerPublishTest {

    private final WrenResourceAdapter adapter = new WrenResourceAdapter();
    private MqttAsyncClient subscriber;

    @BeforeEach
    void startAdapter() throws Exception {
        int port;
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            port = socket.getLocalPort();
        }
        adapter.setPort(port);
        adapter.setBindAddress("127.0.0.1");
        adapter.setPersistence(false);
        adapter.setAllowAnonymous(true);
        adapter.start(null);
        subscriber = new MqttAsyncClient("tcp://127.0.0.1:" + port, "observer", new MemoryPersistence());
        subscriber.connect(new MqttConnectionOptions()).waitForCompletion(10_000);
    }

    @AfterEach
    void stop() throws Exception {
        subscriber.disconnect().waitForCompletion(10_000);
        subscriber.close();
        adapter.stop();
    }

    @Test
    void textAndBytesPublishedThroughTheConnectionReachASubscriber() throws Exception {
        List<String> received = new CopyOnWriteArrayList<>();
        subscriber.setCallback(new MqttCallback() {
            @Override
            public void messageArrived(String topic, MqttMessage message) {
                received.add(topic + "=" + new String(message.getPayload(), StandardCharsets.UTF_8));
            }

            @Override
            public void disconnected(MqttDisconnectResponse response) {
            }

            @Override
            public void mqttErrorOccurred(MqttException exception) {
            }

            @Override
            public void deliveryComplete(IMqttToken token) {
            }

            @Override
            public void connectComplete(boolean reconnect, String serverUri) {
            }

            @Override
            public void authPacketArrived(int reasonCode, MqttProperties properties) {
            }
        });
        subscriber.subscribe(new MqttSubscription[] {new MqttSubscription("jca/#", 1)}).waitForCompletion(10_000);
        WrenManagedConnectionFactory managed = new WrenManagedConnectionFactory();
        managed.setResourceAdapter(adapter);
        MqttConnectionFactory factory = (MqttConnectionFactory) managed.createConnectionFactory();

        try (MqttConnection connection = factory.getConnection()) {
            connection.publish("jca/text", "hello", QoS.AT_LEAST_ONCE).toCompletableFuture().join();
            connection.publish("jca/bytes", new byte[] {'h', 'i'}, QoS.AT_MOST_ONCE, false).toCompletableFuture()
                    .join();
        }

        await().atMost(Duration.ofSeconds(10)).until(() -> received.size() == 2);
        assertThat(received).containsExactly("jca/text=hello", "jca/bytes=hi");
    }
}
