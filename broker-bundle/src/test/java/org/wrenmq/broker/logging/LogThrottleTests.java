package org.wrenmq.broker.logging;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

@DisplayName("LogThrottle: one line per key per window, a bounded number of lines per window")
class LogThrottleTests {
    private final AtomicLong now = new AtomicLong();
    private final LogThrottle throttle = new LogThrottle(TimeUnit.MINUTES.toNanos(1), 3, now::get);

    @Test
    @DisplayName("a key gets one line per minute; the next line says how many were left out")
    void oneLinePerKeyPerMinute() {
        assertThat(throttle.admit("10.0.0.1")).isTrue();
        assertThat(throttle.admit("10.0.0.1")).isFalse();
        assertThat(throttle.admit("10.0.0.1")).isFalse();
        now.addAndGet(TimeUnit.SECONDS.toNanos(59));
        assertThat(throttle.admit("10.0.0.1")).isFalse();
        now.addAndGet(TimeUnit.SECONDS.toNanos(1));

        assertThat(throttle.admit("10.0.0.1")).isTrue();
        assertThat(throttle.suppressedNote()).isEqualTo(" (3 similar events since the previous line not logged)");
        assertThat(throttle.suppressedNote()).isEmpty();
    }

    @Test
    @DisplayName("many keys: at most the bound of lines per minute, then room again as the minute passes")
    void linesPerMinuteAreBounded() {
        for (int i = 0; i < 3; i++) {
            assertThat(throttle.admit("10.0.0." + i)).isTrue();
        }
        assertThat(throttle.admit("10.0.0.99")).isFalse();
        now.addAndGet(TimeUnit.MINUTES.toNanos(1));

        assertThat(throttle.admit("10.0.0.99")).isTrue();
        assertThat(throttle.takeSuppressed()).isEqualTo(1);
    }
}
