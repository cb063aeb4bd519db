package org.wrenmq.broker.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.Comparator;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.stream.Stream;

import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.wrenmq.broker.Broker;

/**
 * A fresh in-process broker for each test, listening on a free loopback port, plus the clients the test opened
 * through it. The broker starts on first use, so a test can first change settings; after the test, the clients and
 * then the broker are closed. Anonymous clients are allowed, and the broker keeps its state in memory
 * ({@code persistence false}: WrenMQ is durable by default) unless a test turns persistence on; then its store
 * lives in a folder of its own, deleted afterwards, so no test sees what an earlier one left. A suite's extension
 * subclasses this with its own clients.
 */
public abstract class InProcessBroker implements AfterEachCallback {
    /**
     * Several event loops even on a small machine (whose default is one), so that messages crossing from one
     * loop to another, as they do on larger machines, are exercised by every test.
     */
    private final Map<String, String> settings =
            new LinkedHashMap<>(Map.of("allow_anonymous", "true", "persistence", "false", "io_threads", "3"));
    private final Deque<AutoCloseable> clients = new ArrayDeque<>();
    private Broker broker;
    private Path storeDir;
    private ManualClock clock;

    /** A mosquitto-style setting (see BrokerConfig) for the broker this test will start. */
    protected void put(String key, String value) {
        if (broker != null) {
            throw new IllegalStateException("the broker already started; set " + key + " before first use");
        }
        settings.put(key, value);
    }

    /**
     * From now on the broker's time moves only by {@link ManualClock#advance}: expiry, will delay, session expiry
     * and keepalive then need no sleeping. Call before the broker starts.
     */
    protected void useManualClock() {
        if (broker != null) {
            throw new IllegalStateException("the broker already started; choose the clock before first use");
        }
        clock = new ManualClock();
    }

    /** The clock a test moves; see {@link #useManualClock()}. */
    public ManualClock clock() {
        if (clock == null) {
            throw new IllegalStateException("this broker runs on the system clock: useManualClock() first");
        }
        return clock;
    }

    public Broker broker() {
        if (broker == null) {
            if (storeDir == null) {
                storeDir = createStoreDir();
            }
            Broker.Builder builder = Broker.builder().listener(0, "127.0.0.1")
                    .set("persistence_location", storeDir.toString());
            settings.forEach(builder::set);
            if (clock != null) {
                builder.clock(clock);
            }
            broker = builder.build().start();
        }
        return broker;
    }

    /**
     * Stops the broker and starts a new one with the same settings and store, as an operator's restart would.
     * Clients must connect again, to the new port.
     */
    public void restart() {
        broker().close();
        broker = null;
        broker();
    }

    public int port() {
        return broker().port();
    }

    /** Closes the client after the test. */
    protected <T extends AutoCloseable> T track(T client) {
        clients.push(client);
        return client;
    }

    @Override
    public void afterEach(ExtensionContext context) {
        while (!clients.isEmpty()) {
            try {
                clients.pop().close();
            } catch (Exception | AssertionError e) {
                // the broker may already have closed it; the test's own assertions said what mattered
            }
        }
        if (broker != null) {
            broker.close();
        }
        if (storeDir != null) {
            deleteRecursively(storeDir);
        }
    }

    private static Path createStoreDir() {
        try {
            return Files.createTempDirectory("wrenmq-test-store");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void deleteRecursively(Path dir) {
        try (Stream<Path> paths = Files.walk(dir)) {
            paths.sorted(Comparator.reverseOrder()).forEach(path -> path.toFile().delete());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
