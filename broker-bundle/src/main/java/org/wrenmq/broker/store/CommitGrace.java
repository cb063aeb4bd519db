package org.wrenmq.broker.store;

/**
 * How long a commit first waits for its new messages to be acknowledged by their subscribers, so that it need not
 * write them at all. A QoS 1 message to an online persistent session is usually acknowledged by the subscriber
 * within about the time a commit with its fsync takes; then the publisher's PUBACK goes out without any write or
 * fsync. The wait is at most the time of a recent commit (so a PUBACK waits at most about twice as long as
 * without it), and after a wait that did not spare the commit, the next few commits do not wait: with offline or
 * slow subscribers the store behaves as without it. On the commit thread only.
 */
final class CommitGrace {
    /** Never wait longer than this, whatever a commit took. */
    static final long MAX_NANOS = 2_000_000;
    /** Commits that write at once after a wait that did not spare its commit. */
    static final int SKIP_AFTER_MISS = 16;

    private long commitNanos = 500_000;
    private int skip;

    boolean worthTrying() {
        if (skip > 0) {
            skip--;
            return false;
        }
        return true;
    }

    long nanos() {
        return Math.min(MAX_NANOS, commitNanos);
    }

    /** @param spared whether the wait made the commit unnecessary */
    void tried(boolean spared) {
        if (!spared) {
            skip = SKIP_AFTER_MISS;
        }
    }

    /** A commit (with its fsync) took {@code nanos}: the wait follows its moving average. */
    void committed(long nanos) {
        commitNanos += (nanos - commitNanos) / 8;
    }
}
