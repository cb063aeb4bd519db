package org.wrenmq.broker.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadLocalRandom;

/** Loopback ports free a moment ago, for tests that must name a port before a server binds it. */
public final class FreePorts {
    private static final Set<Integer> HANDED_OUT = ConcurrentHashMap.newKeySet();
    /** How many ports below the ephemeral range {@link #loopbackBelowEphemeral} picks from. */
    private static final int RESTARTABLE_RANGE = 10_000;
    /** Linux's default start of the ephemeral range, where it cannot be read. */
    private static final int DEFAULT_EPHEMERAL_START = 32_768;

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
            closeAll(held);
        }
    }

    public static int loopback() {
        return loopback(1)[0];
    }

    /**
     * {@code n} different ports below the system's range of ephemeral ports, free a moment ago and none handed out
     * before in this JVM: for servers a test kills and starts again on the same port. A port from the ephemeral range
     * may meanwhile become the local end of any outgoing connection (a killed cluster node's member port, taken by
     * another node reconnecting to it: the restarted node could not bind it).
     */
    public static int[] loopbackBelowEphemeral(int n) {
        int below = ephemeralRangeStart();
        int from = Math.max(1024, below - RESTARTABLE_RANGE);
        List<ServerSocket> held = new ArrayList<>();
        try {
            int[] ports = new int[n];
            int found = 0;
            for (int tries = 0; found < n && tries < 10 * RESTARTABLE_RANGE; tries++) {
                int port = ThreadLocalRandom.current().nextInt(from, below);
                if (HANDED_OUT.contains(port)) {
                    continue;
                }
                try {
                    held.add(new ServerSocket(port, 1, InetAddress.getLoopbackAddress()));
                } catch (IOException inUse) {
                    continue;
                }
                HANDED_OUT.add(port);
                ports[found++] = port;
            }
            if (found < n) {
                throw new IllegalStateException("no " + n + " free ports in " + from + "-" + (below - 1));
            }
            return ports;
        } finally {
            closeAll(held);
        }
    }

    private static void closeAll(List<ServerSocket> held) {
        for (ServerSocket socket : held) {
            try {
                socket.close();
            } catch (IOException ignored) {
                // closing a socket only listened on; the port is free either way
            }
        }
    }

    /** The first port the system hands out to outgoing connections ({@code ip_local_port_range}). */
    private static int ephemeralRangeStart() {
        try {
            // read as lines: Files.readString trusts the size /proc reports and returns a part
            String range = Files.readAllLines(Path.of("/proc/sys/net/ipv4/ip_local_port_range")).get(0).trim();
            int start = Integer.parseInt(range.split("\\s+")[0]);
            return start > 1024 + RESTARTABLE_RANGE ? start : DEFAULT_EPHEMERAL_START;
        } catch (IOException | RuntimeException e) {
            return DEFAULT_EPHEMERAL_START;
        }
    }
}
