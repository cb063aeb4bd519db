package org.wrenmq.broker.metrics;

import java.util.function.LongConsumer;
import org.wrenmq.broker.message.Publication;

/**
 * The end-to-end in-broker latency: from reading a PUBLISH to writing it to each subscriber's connection (queueing
 * and store waits included). Only one incoming message in {@link #SAMPLE_EVERY} is timed, and only while someone
 * observes (the HTTP listener's histogram): two clock reads and a histogram update per message would cost a few
 * per cent on the fan-in hot path; one in sixteen costs nothing measurable and still fills the histogram.
 */
public final class DeliveryLatency {
    /** One incoming PUBLISH in this many is timed. */
    public static final int SAMPLE_EVERY = 16;

    private volatile LongConsumer observer;
    /** Shared by the event loops without synchronisation: a lost increment only shifts which message is timed. */
    private int tick;

    /** Tells {@code observer} the latency of each timed delivery, in nanoseconds; null stops timing. */
    public void observeWith(LongConsumer observer) {
        this.observer = observer;
    }

    /** On reading a PUBLISH: the publication, timed when it is this one's turn. */
    public Publication received(Publication p) {
        if (observer == null || (++tick & (SAMPLE_EVERY - 1)) != 0) {
            return p;
        }
        return p.receivedAt(System.nanoTime());
    }

    /** On writing a PUBLISH to a subscriber. */
    public void delivered(Publication p) {
        long received = p.receivedNanos();
        LongConsumer o = observer;
        if (received != 0 && o != null) {
            o.accept(System.nanoTime() - received);
        }
    }
}
