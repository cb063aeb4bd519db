package org.wrenmq.it.clients;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The processes one test starts in its folder (mosquitto's clients, mosquitto, {@code ./wrenmq}), closed together
 * by {@link #closeAll()} after the test; and the two things starting them needs: a free port, a path the pom set.
 */
final class Launched {
    private final List<ClientProcess> processes = new ArrayList<>();

    ClientProcess track(ClientProcess process) {
        processes.add(process);
        return process;
    }

    ClientProcess run(Path dir, String... command) {
        return track(ClientProcess.start(dir, List.of(command)));
    }

    /** {@code ./wrenmq ARGS} on broker-bundle's jar and lib/, as an operator runs it (its JVM options included). */
    ClientProcess wrenmq(Path dir, String... args) {
        List<String> command = new ArrayList<>(List.of(requiredPath("wrenmq.launcher")));
        command.addAll(List.of(args));
        return track(ClientProcess.start(dir, command,
                Map.of("WRENMQ_JARS", requiredPath("wrenmq.broker.target"), "WRENMQ_JAVA_OPTS", "-Xmx128m")));
    }

    void closeAll() throws InterruptedException {
        for (ClientProcess process : processes) {
            process.close();
        }
    }

    static String requiredPath(String property) {
        String value = System.getProperty(property);
        assertThat(value).as("system property %s (set by the pom)", property).isNotNull();
        assertThat(Path.of(value)).as("%s (the launcher, or built by broker-bundle's package phase)", property)
                .exists();
        return value;
    }

    /** {@code n} different ports free a moment ago (held open together, so none is handed out twice). */
    static int[] freePorts(int n) throws IOException {
        List<ServerSocket> held = new ArrayList<>();
        try {
            int[] ports = new int[n];
            for (int i = 0; i < n; i++) {
                ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress());
                held.add(socket);
                ports[i] = socket.getLocalPort();
            }
            return ports;
        } finally {
            for (ServerSocket socket : held) {
                socket.close();
            }
        }
    }

    /** A port free a moment ago, on loopback. */
    static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        }
    }
}
