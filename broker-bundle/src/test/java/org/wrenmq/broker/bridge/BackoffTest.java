package org.wrenmq.broker.bridge;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** restart_timeout: BASE alone waits BASE; BASE CAP grows (decorrelated jitter) up to CAP and resets on success. */
class BackoffTest {

    @Test
    void oneNumberIsAConstantWait() {
        Backoff b = new Backoff(7, 0, (low, high) -> high - 1);

        assertThat(new int[] {b.next(), b.next(), b.next()}).containsExactly(7, 7, 7);
    }

    @Test
    void baseAndCapGrowUpToTheCapAndResetAfterASuccess() {
        Backoff b = new Backoff(5, 30, (low, high) -> high - 1);

        assertThat(new int[] {b.next(), b.next(), b.next(), b.next()}).containsExactly(5, 14, 30, 30);
        b.reset();
        assertThat(b.next()).isEqualTo(5);
    }

    @Test
    void eachWaitIsAtLeastTheBase() {
        Backoff b = new Backoff(5, 30, (low, high) -> low);

        assertThat(new int[] {b.next(), b.next(), b.next()}).containsExactly(5, 5, 5);
    }
}
