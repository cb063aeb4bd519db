package org.wrenmq.jca.outbound;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

import jakarta.resource.ResourceException;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.wrenmq.api.jca.MqttConnectionFactory;
import org.wrenmq.jca.WrenResourceAdapter;

class ConnectionFailureTest {

    private final WrenResourceAdapter adapter = new WrenResourceAdapter();

    @AfterEach
    void stopAdapter() {
        adapter.stop();
    }

    @Test
    void getConnectionThrowsResourceExceptionWhenTheServerCannotBeReached() throws Exception {
        adapter.setServerUri("tcp://127.0.0.1:" + portNobodyListensOn());
        adapter.start(null);
        WrenManagedConnectionFactory managed = new WrenManagedConnectionFactory();
        managed.setResourceAdapter(adapter);
        MqttConnectionFactory factory = (MqttConnectionFactory) managed.createConnectionFactory();

        assertThatThrownBy(factory::getConnection).isInstanceOf(ResourceException.class)
                .hasMessageContaining("cannot connect to MQTT server tcp://127.0.0.1:");
    }

    @Test
    void getConnectionThrowsResourceExceptionWhenTheAdapterIsNotStarted() {
        WrenManagedConnectionFactory managed = new WrenManagedConnectionFactory();
        managed.setResourceAdapter(adapter);
        MqttConnectionFactory factory = (MqttConnectionFactory) managed.createConnectionFactory();

        assertThatThrownBy(factory::getConnection).isInstanceOf(ResourceException.class)
                .hasMessageContaining("not started");
    }

    private static int portNobodyListensOn() throws IOException {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        }
    }
}
