package org.wrenmq.broker.bridge;

import java.util.function.IntBinaryOperator;

/**
 * The wait before a bridge reconnects, as mosquitto computes it from {@code restart_timeout}: a constant BASE,
 * or with {@code BASE CAP} the "decorrelated jitter" backoff (each wait random between BASE and three times the
 * previous one, at most CAP), back to BASE once a connection succeeds.
 */
final class Backoff {
    private final int base;
    private final int cap;
    /** Picks a number in [low, high): random in use, fixed in tests. */
    private final IntBinaryOperator between;
    private int current;

    Backoff(int baseSeconds, int capSeconds, IntBinaryOperator between) {
        this.base = baseSeconds;
        this.cap = capSeconds;
        this.between = between;
        this.current = baseSeconds;
    }

    /** The wait before the next attempt, seconds; each call after a failure grows it. */
    int next() {
        if (cap == 0) {
            return base;
        }
        int wait = current;
        int high = Math.max(base + 1, current * 3);
        current = Math.min(cap, between.applyAsInt(base, high));
        return wait;
    }

    /** A connection succeeded. */
    void reset() {
        current = base;
    }
}
