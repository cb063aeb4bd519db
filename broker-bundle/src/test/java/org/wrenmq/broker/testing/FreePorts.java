package org.wrenmq.broker.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/** Loopback ports free a moment ago, for tests that must name a port before a server binds it. */
public final class FreePorts {
    private static final Set<Integer> HANDED_OUT = ConcurrentHashMap.newKeySet();

    private FreePorts() {
    }

    /**
     * {@code n} different ports, none handed out before in this JVM: held open together while picked, and
     * remembered, because servers set up in parallel may bind theirs much later (GlassFish's IIOP listener at the
     * first EJB deployment) and the system would otherwise give the same free port to two of them.
     */
    public static int[] loopback(int n) {
        List<ServerSocket> held = new ArrayList<>();
        try {
            int[] ports = new int[n];
            int found = 0;
            while (found < n) {
                ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress());
                held.add(socket);
                if (HANDED_OUT.add(socket.getLocalPort())) {
                    ports[found++] = socket.getLocalPort();
                }
            }
            return ports;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } finally {
            for (ServerSocket socket : held) {
                try {
                    socket.close();
                } catch (IOException ignored) {
                    // closing a socket only listened on; the port is free either way
                }
            }
        }
    }

    public static int loopback() {
        return loopback(1)[0];
    }
}
