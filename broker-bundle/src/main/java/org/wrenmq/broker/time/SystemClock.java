package org.wrenmq.broker.time;

import io.netty.util.concurrent.EventExecutor;
import io.netty.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/** The machine's clocks, and the event loop's own timers. */
final class SystemClock implements BrokerClock {

    @Override
    public long millis() {
        return System.currentTimeMillis();
    }

    @Override
    public long nanos() {
        return System.nanoTime();
    }

    @Override
    public Timer schedule(EventExecutor executor, Runnable task, long delay, TimeUnit unit) {
        ScheduledFuture<?> f = executor.schedule(task, delay, unit);
        return () -> f.cancel(false);
    }
}
