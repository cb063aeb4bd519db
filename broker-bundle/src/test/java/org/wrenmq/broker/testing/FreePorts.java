package org.wrenmq.broker.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.util.ArrayList;
import java.util.List;

/** Loopback ports free a moment ago, for tests that must name a port before a server binds it. */
public final class FreePorts {
    private FreePorts() {
    }

    /** {@code n} different ports: held open together while picked, so none is handed out twice. */
    public static int[] loopback(int n) {
        List<ServerSocket> held = new ArrayList<>();
        try {
            int[] ports = new int[n];
            for (int i = 0; i < n; i++) {
                ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress());
                held.add(socket);
                ports[i] = socket.getLocalPort();
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
