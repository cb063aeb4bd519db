package org.wrenmq.it.support;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import org.wrenmq.broker.testing.FreePorts;

/** Loopback ports for tests: free ones, chosen at run time, and whether something listens on one. */
public final class Ports {
    private static final int CONNECT_TIMEOUT_MILLIS = 500;

    private Ports() {
    }

    /** A port free on 127.0.0.1 a moment ago. */
    public static int free() {
        return free(1)[0];
    }

    /** {@code n} different ports free a moment ago, none handed out before in this JVM ({@link FreePorts}). */
    public static int[] free(int n) {
        return FreePorts.loopback(n);
    }

    /**
     * {@code n} different ports for servers a test kills and starts again on the same port: below the ephemeral range,
     * where no outgoing connection takes one meanwhile ({@link FreePorts#loopbackBelowEphemeral}).
     */
    public static int[] freeForRestarts(int n) {
        return FreePorts.loopbackBelowEphemeral(n);
    }

    /** Whether a connection to this loopback port is accepted. */
    public static boolean listening(int port) {
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), CONNECT_TIMEOUT_MILLIS);
            return true;
        } catch (IOException e) {
            return false;
        }
    }
}
