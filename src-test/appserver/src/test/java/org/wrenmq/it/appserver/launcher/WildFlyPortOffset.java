package org.wrenmq.it.appserver.launcher;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.util.concurrent.ThreadLocalRandom;
import org.junit.platform.launcher.LauncherSession;
import org.junit.platform.launcher.LauncherSessionListener;

/**
 * Picks WildFly's port offset before Arquillian reads {@code arquillian.xml}: an offset under which every port of
 * {@code standalone-full.xml} is free on 127.0.0.1 right now. Sets {@code wrenmq.wildfly.portOffset} and
 * {@code wrenmq.wildfly.managementPort} as system properties, which {@code arquillian.xml} refers to.
 */
public final class WildFlyPortOffset implements LauncherSessionListener {

    /** The ports of standalone-full.xml without offset: ajp, http, https, iiop, iiop-ssl, management, txn. */
    static final int[] BASE_PORTS = {8009, 8080, 8443, 3528, 3529, 9990, 9993, 4712, 4713};
    static final int ATTEMPTS = 100;
    /**
     * Offsets that keep every port under Linux's ephemeral range (32768 and up by default): there, the outgoing
     * connection of any process on the machine may take a port between our check and WildFly's bind.
     */
    static final int MIN_OFFSET = 10_000;
    static final int MAX_OFFSET = 32_768 - 9_993;
    /** The management port without offset, where jboss-cli connects. */
    public static final int MANAGEMENT_PORT = 9990;

    @Override
    public void launcherSessionOpened(LauncherSession session) {
        if (System.getProperty("wrenmq.wildfly.portOffset") != null) {
            return;
        }
        int offset = findFree();
        System.setProperty("wrenmq.wildfly.portOffset", Integer.toString(offset));
        System.setProperty("wrenmq.wildfly.managementPort", Integer.toString(MANAGEMENT_PORT + offset));
    }

    /** An offset under which every port of standalone-full.xml is free on 127.0.0.1 right now. */
    public static int findFree() {
        for (int attempt = 0; attempt < ATTEMPTS; attempt++) {
            int offset = ThreadLocalRandom.current().nextInt(MIN_OFFSET, MAX_OFFSET);
            if (allFree(offset)) {
                return offset;
            }
        }
        throw new IllegalStateException("no free port offset for WildFly after " + ATTEMPTS + " attempts");
    }

    private static boolean allFree(int offset) {
        for (int port : BASE_PORTS) {
            try (ServerSocket socket = new ServerSocket(port + offset, 1, InetAddress.getLoopbackAddress())) {
                socket.setReuseAddress(true);
            } catch (IOException taken) {
                return false;
            }
        }
        return true;
    }
}
