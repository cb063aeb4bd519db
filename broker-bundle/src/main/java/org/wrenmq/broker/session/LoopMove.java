package org.wrenmq.broker.session;

import io.netty.util.concurrent.EventExecutor;
import io.netty.util.concurrent.EventExecutorGroup;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import org.wrenmq.broker.routing.Delivery;

/**
 * A session's move to another event loop, until the loop it left can hold nothing more for it. A publisher reads
 * the session's loop, then queues the delivery there; one that read the old loop just before the move queues it
 * there just after, and the old loop passes it on. A delivery that reaches the new loop directly meanwhile was
 * published later (a thread that has seen the new loop never sees the old one again), so it is held here until
 * those passed on have arrived: once every loop of the group has finished the task it was running when the move
 * began (none still routes with the old loop in hand), one last task through the old loop's queue settles the
 * move, and the held deliveries go out in order. Not covered: publishers on threads of their own (in-VM clients),
 * and a delivery routed to the loop in between when a second move comes before the first settled. Touched on the
 * session's executor only.
 */
final class LoopMove {
    private final ArrayDeque<Delivery> held = new ArrayDeque<>();
    /** Moves not settled yet: a client may reconnect again, on yet another loop, before the first settles. */
    private int unsettled = 1;

    void again() {
        unsettled++;
    }

    void hold(Delivery d) {
        held.add(d);
    }

    /** One move settled; when it was the last, hands each held delivery to {@code deliver} and returns true. */
    boolean settle(Consumer<Delivery> deliver) {
        if (--unsettled > 0) {
            return false;
        }
        for (Delivery d; (d = held.poll()) != null; ) {
            deliver.accept(d);
        }
        return true;
    }

    /** Runs {@code settled} on {@code left} once every loop of its group ran the task it had when called. */
    static void afterRoutingOn(EventExecutor left, Runnable settled) {
        List<EventExecutor> loops = new ArrayList<>();
        EventExecutorGroup group = left.parent();
        if (group != null) {
            group.forEach(loops::add);
        } else {
            loops.add(left);
        }
        AtomicInteger running = new AtomicInteger(loops.size());
        Runnable oneDone = () -> {
            if (running.decrementAndGet() == 0) {
                runOn(left, settled);
            }
        };
        for (EventExecutor loop : loops) {
            runOn(loop, oneDone);
        }
    }

    /** A loop shutting down runs nothing more: the broker is stopping, and the task may as well run here. */
    private static void runOn(EventExecutor loop, Runnable task) {
        try {
            loop.execute(task);
        } catch (RejectedExecutionException stopping) {
            task.run();
        }
    }
}
