package org.wrenmq.broker.session;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.wrenmq.api.QoS;
import org.wrenmq.broker.message.Publication;
import org.wrenmq.broker.store.MemoryStore;
import org.wrenmq.broker.testing.ManualClock;

class WillAndExpiryTest {
    private static final Publication WILL = Publication.simple("will/t", "gone".getBytes(StandardCharsets.UTF_8),
            QoS.AT_LEAST_ONCE, false, "c1");
    private final ManualClock clock = new ManualClock();
    private final SessionServices services = SessionFixtures.services(new MemoryStore(), clock);
    private final WillAndExpiry timers = new WillAndExpiry(new Session("c1", SessionFixtures.LOOP, services),
            services);
    private final List<String> events = new ArrayList<>();

    private long willsPublished() {
        return services.metrics().snapshot().get("wills.published");
    }

    @Test
    void aWillWithoutDelayGoesOutAtDisconnect() {
        timers.connected(WILL, 0);

        timers.disconnected(() -> events.add("saved"));

        assertThat(willsPublished()).isEqualTo(1);
        assertThat(events).as("nothing to save after an immediate will").isEmpty();
    }

    /** [MQTT-3.1.2-8]: a delayed will goes out when the delay is over, not before. */
    @Test
    void aDelayedWillGoesOutAfterItsDelay() {
        timers.connected(WILL, 5);
        timers.disconnected(() -> events.add("saved"));

        clock.advance(Duration.ofMillis(4999));
        assertThat(willsPublished()).isZero();
        assertThat(timers.willToStore()).isSameAs(WILL);
        clock.advance(Duration.ofMillis(1));

        assertThat(willsPublished()).isEqualTo(1);
        assertThat(events).containsExactly("saved");
        assertThat(timers.willToStore()).isNull();
    }

    /** [MQTT-3.1.3-9]: a session resumed within the delay sends no will. */
    @Test
    void aResumedSessionCancelsTheDelayedWill() {
        timers.connected(WILL, 5);
        timers.disconnected(() -> { });

        timers.connected(null, 0);
        clock.advance(Duration.ofMinutes(1));

        assertThat(willsPublished()).isZero();
    }

    /** [MQTT-3.14.4-3]: a normal DISCONNECT discards the will. */
    @Test
    void aDiscardedWillNeverGoesOut() {
        timers.connected(WILL, 0);

        assertThat(timers.discard()).isTrue();
        timers.disconnected(() -> { });

        assertThat(willsPublished()).isZero();
    }

    @Test
    void theSessionExpiresAfterItsIntervalUnlessAClientComesBack() {
        timers.startExpiry(1000, () -> events.add("expired"));
        clock.advance(Duration.ofMillis(999));
        assertThat(events).isEmpty();
        clock.advance(Duration.ofMillis(1));
        assertThat(events).containsExactly("expired");

        timers.startExpiry(1000, () -> events.add("expired again"));
        timers.connected(null, 0);
        clock.advance(Duration.ofSeconds(5));
        assertThat(events).containsExactly("expired");
    }

    /** [MQTT-3.1.2-8]: when the session ends before the delay, the will goes out at the session end. */
    @Test
    void theSessionEndSendsAWaitingWill() {
        timers.connected(WILL, 60);
        timers.disconnected(() -> { });

        timers.end();

        assertThat(willsPublished()).isEqualTo(1);
        clock.advance(Duration.ofMinutes(2));
        assertThat(willsPublished()).as("not twice").isEqualTo(1);
    }
}
