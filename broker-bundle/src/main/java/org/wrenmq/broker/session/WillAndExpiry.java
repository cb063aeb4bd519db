package org.wrenmq.broker.session;

import java.util.concurrent.TimeUnit;
import org.wrenmq.broker.message.Publication;
import org.wrenmq.broker.routing.Router;
import org.wrenmq.broker.time.BrokerClock;

/**
 * A session's two timers and the will they guard. The will of the attached connection goes out when the connection
 * ends without a normal DISCONNECT: at once, or after the MQTT 5 will delay unless the session resumes first
 * [MQTT-3.1.3-9], and at the latest when the session ends. The expiry timer ends an offline session after its
 * expiry interval. Both run on the broker's clock, on the session's executor.
 */
final class WillAndExpiry {
    /** Its session: timers start on the session's executor and pass their work on if it moved. */
    private final Session session;
    private final Router router;
    private final BrokerClock clock;
    private Publication connectionWill;
    private long connectionWillDelay;
    /** A will whose delay is running. */
    private Publication pendingWill;
    private BrokerClock.Timer willTimer;
    private BrokerClock.Timer expiryTimer;

    WillAndExpiry(Session session, SessionServices services) {
        this.session = session;
        this.router = services.router();
        this.clock = services.clock();
    }

    /** A connection attached: the expiry stops, a delayed will is cancelled, the connection's will is kept. */
    void connected(Publication will, long willDelaySeconds) {
        cancelExpiry();
        cancelPendingWill();
        connectionWill = will;
        connectionWillDelay = willDelaySeconds;
    }

    /** The attached connection was taken over: its will goes out now unless it has a delay. */
    void takenOver() {
        if (connectionWill != null && connectionWillDelay == 0) {
            publishWill(connectionWill);
        }
    }

    /** A normal DISCONNECT: the will is discarded [MQTT-3.14.4-3]. @return whether there was one */
    boolean discard() {
        boolean had = connectionWill != null;
        connectionWill = null;
        return had;
    }

    /**
     * The connection ended without a normal DISCONNECT: its will goes out now or when its delay is over.
     * @param afterDelayedWill runs after a delayed will went out
     */
    void disconnected(Runnable afterDelayedWill) {
        Publication will = connectionWill;
        connectionWill = null;
        if (will == null) {
            return;
        }
        if (connectionWillDelay == 0) {
            publishWill(will);
        } else {
            startWillDelay(will, TimeUnit.SECONDS.toMillis(connectionWillDelay), afterDelayedWill);
        }
    }

    /** Another clean connection replaced the session: the attached connection's will goes out, delay or not. */
    void replaced() {
        if (connectionWill != null) {
            publishWill(connectionWill);
            connectionWill = null;
        }
    }

    /** Runs {@code expire} after {@code millis} unless a connection attaches first. */
    void startExpiry(long millis, Runnable expire) {
        expiryTimer = clock.schedule(session.executor(), () -> session.execute(expire), millis,
                TimeUnit.MILLISECONDS);
    }

    /** The session ends: the expiry stops and a will still waiting for its delay goes out now. */
    void end() {
        cancelExpiry();
        publishPendingWill();
    }

    /** A will read back from the store goes out after what is left of its delay. */
    void restore(Publication will, long willDelaySeconds, long remainingMillis, Runnable afterDelayedWill) {
        connectionWillDelay = willDelaySeconds;
        startWillDelay(will, Math.max(0, remainingMillis), afterDelayedWill);
    }

    /**
     * The session moves to another cluster node: a will whose delay is running goes with it, not out from here
     * (the new node runs what is left of the delay, and the client resuming there cancels it [MQTT-3.1.3-9]).
     *
     * @return that will, or null
     */
    Publication handOver() {
        Publication will = pendingWill;
        cancelPendingWill();
        return will;
    }

    /** The will to keep in the store: the delayed one, else the attached connection's. */
    Publication willToStore() {
        return pendingWill != null ? pendingWill : connectionWill;
    }

    long willDelaySeconds() {
        return connectionWillDelay;
    }

    private void startWillDelay(Publication will, long millis, Runnable afterDelayedWill) {
        pendingWill = will;
        willTimer = clock.schedule(session.executor(), () -> session.execute(() -> {
            if (publishPendingWill()) {
                afterDelayedWill.run();
            }
        }), millis, TimeUnit.MILLISECONDS);
    }

    /** @return whether a will went out */
    private boolean publishPendingWill() {
        Publication will = pendingWill;
        cancelPendingWill();
        if (will == null) {
            return false;
        }
        publishWill(will);
        return true;
    }

    private void cancelPendingWill() {
        pendingWill = null;
        if (willTimer != null) {
            willTimer.cancel();
            willTimer = null;
        }
    }

    private void cancelExpiry() {
        if (expiryTimer != null) {
            expiryTimer.cancel();
            expiryTimer = null;
        }
    }

    /** The acl_file is asked when the will is published, not when it was given [as mosquitto]. */
    private void publishWill(Publication will) {
        if (session.access().mayPublishWill(will.topic())) {
            router.publishWill(will);
        }
    }
}
