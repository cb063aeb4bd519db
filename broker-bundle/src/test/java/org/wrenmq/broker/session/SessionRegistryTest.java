package org.wrenmq.broker.session;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.wrenmq.broker.store.MemoryStore;
import org.wrenmq.broker.testing.ManualClock;

/** Which session a CONNECT gets while the client's previous connection may still be closing. */
class SessionRegistryTest {
    private final SessionServices services = SessionFixtures.services(new MemoryStore(), new ManualClock());
    private final SessionRegistry registry = services.sessions();

    private Session connected(boolean persistent) {
        Session s = registry.open("c1", !persistent, id -> new Session(id, SessionFixtures.LOOP, services)).session();
        s.attach(new SessionFixtures.RecordingOutlet(), persistent, persistent ? SessionRegistry.NEVER_EXPIRES : 0,
                null, 0);
        return s;
    }

    @Test
    @DisplayName("[MQTT-3.1.2-6] a clean session whose connection is still closing is not resumed by a quick reconnect")
    void cleanSessionStillClosingIsNotPresent() {
        Session clean = connected(false);

        SessionRegistry.Opened again = registry.open("c1", false, id -> new Session(id, SessionFixtures.LOOP, services));

        assertThat(again.present()).isFalse();
        assertThat(again.session()).isNotSameAs(clean);
        assertThat(again.replaced()).isSameAs(clean);
    }

    @Test
    @DisplayName("[MQTT-3.1.2-4] a persistent session is resumed: session present")
    void persistentSessionIsPresent() {
        Session kept = connected(true);

        SessionRegistry.Opened again = registry.open("c1", false, id -> new Session(id, SessionFixtures.LOOP, services));

        assertThat(again.present()).isTrue();
        assertThat(again.session()).isSameAs(kept);
    }

    @Test
    @DisplayName("a connection attaching to a session a later CONNECT already replaced is taken over at once")
    void attachToReplacedSessionIsTakenOver() {
        Session first = registry.open("c1", false, id -> new Session(id, SessionFixtures.LOOP, services)).session();
        registry.open("c1", true, id -> new Session(id, SessionFixtures.LOOP, services)).replaced().replaced();
        SessionFixtures.RecordingOutlet late = new SessionFixtures.RecordingOutlet();

        first.attach(late, true, SessionRegistry.NEVER_EXPIRES, null, 0);

        assertThat(late.takenOver).isTrue();
        assertThat(registry.get("c1")).isNotSameAs(first);
    }
}
