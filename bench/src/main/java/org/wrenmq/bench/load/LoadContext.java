package org.wrenmq.bench.load;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.IntFunction;

/** What every workload shares: the client factory, the run's bounds and the /proc readers. */
final class LoadContext {
    /** No connection, subscription or drain phase may take longer than this. */
    static final long PHASE_TIMEOUT_SECONDS = 60;

    private final ClientFactory clients;
    private final long clockTicksPerSecond;
    private final long durationNanos;
    private final AtomicLong clientIds = new AtomicLong();
    private final boolean deviceLike;

    LoadContext(ClientFactory clients, long clockTicksPerSecond, long durationNanos, boolean deviceLike) {
        this.clients = clients;
        this.clockTicksPerSecond = clockTicksPerSecond;
        this.durationNanos = durationNanos;
        this.deviceLike = deviceLike;
    }

    /** How long each publishing phase lasts at most. */
    long durationNanos() {
        return durationNanos;
    }

    ProcessProbe probe(Target target) {
        return new ProcessProbe(target.pid(), clockTicksPerSecond);
    }

    ProcessProbe selfProbe() {
        return ProcessProbe.self(clockTicksPerSecond);
    }

    /** Opens {@code count} subscriber connections (reading on the subscribers' thread), as {@link #connect}. */
    List<ClientConnection> connectSubscribers(Target target, String prefix, int count, int concurrency,
            IntFunction<ClientConnection.Listener> listeners) throws Exception {
        return connect(target, prefix, count, concurrency, listeners, true);
    }

    /**
     * Opens {@code count} publisher (or idle) connections, at most {@code concurrency} CONNECTs outstanding at a
     * time (a burst of thousands would only measure the listen backlog), and waits for every CONNACK.
     */
    List<ClientConnection> connect(Target target, String prefix, int count, int concurrency,
            IntFunction<ClientConnection.Listener> listeners) throws Exception {
        return connect(target, prefix, count, concurrency, listeners, false);
    }

    private List<ClientConnection> connect(Target target, String prefix, int count, int concurrency,
            IntFunction<ClientConnection.Listener> listeners, boolean subscribers) throws Exception {
        Semaphore outstanding = new Semaphore(concurrency);
        List<CompletableFuture<ClientConnection>> futures = new ArrayList<>(count);
        long run = clientIds.incrementAndGet();
        for (int i = 0; i < count; i++) {
            if (!outstanding.tryAcquire(PHASE_TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
                throw new TimeoutException("CONNACKs stopped coming after " + i + " connections");
            }
            CompletableFuture<ClientConnection> future = clients.connect(target,
                    "bench-" + prefix + "-" + run + "-" + i, listeners.apply(i), subscribers, deviceLike);
            future.whenComplete((c, e) -> outstanding.release());
            futures.add(future);
        }
        CompletableFuture.allOf(futures.toArray(CompletableFuture[]::new))
                .get(PHASE_TIMEOUT_SECONDS, TimeUnit.SECONDS);
        return futures.stream().map(CompletableFuture::join).toList();
    }

    static void closeAll(List<ClientConnection> connections) throws Exception {
        CompletableFuture.allOf(connections.stream().map(ClientConnection::close).toArray(CompletableFuture[]::new))
                .get(PHASE_TIMEOUT_SECONDS, TimeUnit.SECONDS);
    }
}
