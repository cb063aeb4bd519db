package org.wrenmq.jca;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.InetAddress;
import java.net.Socket;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.wrenmq.broker.testing.FreePorts;

/** The embedded broker's port lives exactly as long as the adapter: open after start, closed after stop. */
class AdapterLifecycleTest {

    private final WrenResourceAdapter adapter = new WrenResourceAdapter();
    private final int port = FreePorts.loopback();

    @AfterEach
    void stopAdapter() {
        adapter.stop();
    }

    @Test
    void stopClosesTheBrokersPort() throws Exception {
        configure(adapter);
        adapter.start(null);
        assertThat(listening()).as("listening after start").isTrue();

        adapter.stop();

        assertThat(listening()).as("listening after stop").isFalse();
    }

    @Test
    void startedTwiceThenStoppedOnceLeavesNoBrokerBehind() throws Exception {
        configure(adapter);
        adapter.start(null);
        adapter.start(null);

        adapter.stop();

        assertThat(listening()).as("listening after stop").isFalse();
    }

    @Test
    void twoAdaptersAlikeShareOneBrokerUntilTheLastStops() throws Exception {
        WrenResourceAdapter other = new WrenResourceAdapter();
        configure(adapter);
        configure(other);
        adapter.start(null);
        other.start(null);

        adapter.stop();
        assertThat(listening()).as("listening while the other adapter runs").isTrue();
        other.stop();

        assertThat(listening()).as("listening after both stopped").isFalse();
    }

    private void configure(WrenResourceAdapter target) {
        target.setPort(port);
        target.setBindAddress("127.0.0.1");
        target.setPersistence(false);
        target.setAllowAnonymous(true);
    }

    private boolean listening() {
        try (Socket ignored = new Socket(InetAddress.getLoopbackAddress(), port)) {
            return true;
        } catch (IOException refused) {
            return false;
        }
    }

}
