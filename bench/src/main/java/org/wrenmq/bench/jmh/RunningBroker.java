package org.wrenmq.bench.jmh;

import java.lang.reflect.Field;
import org.wrenmq.broker.Broker;
import org.wrenmq.broker.BrokerContext;
import org.wrenmq.broker.session.Session;

/**
 * A started broker (loopback, free port) whose internals a benchmark may use, e.g. to make real {@link Session}
 * objects as subscription owners. {@code Broker} has no public accessor for its context, so it is read by
 * reflection: if the field is renamed, this fails loudly at setup rather than measuring something else.
 */
final class RunningBroker implements AutoCloseable {
    private final Broker broker;
    private final BrokerContext context;

    RunningBroker() {
        // no store: only the in-memory structures are measured, and no data folder is left behind
        broker = Broker.builder().listener(0, "127.0.0.1").set("allow_anonymous", "true")
                .set("persistence", "false").build().start();
        try {
            Field field = Broker.class.getDeclaredField("context");
            field.setAccessible(true);
            context = (BrokerContext) field.get(broker);
        } catch (ReflectiveOperationException e) {
            broker.close();
            throw new IllegalStateException("Broker's internals changed: update RunningBroker", e);
        }
    }

    /** The broker itself, for in-VM clients ({@link Broker#publish}, {@link Broker#openLocalSession}). */
    Broker broker() {
        return broker;
    }

    /** A session that never connects: the trees only use it as a key. */
    Session session(String clientId) {
        return new Session(clientId, context.workers().next(), context.sessionServices());
    }

    @Override
    public void close() {
        broker.close();
    }
}
