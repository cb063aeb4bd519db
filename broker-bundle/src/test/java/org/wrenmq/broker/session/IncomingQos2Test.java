package org.wrenmq.broker.session;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

/** Method B of [MQTT-4.3.3-2]: an incoming QoS 2 message is routed once; its packet id waits for PUBREL. */
class IncomingQos2Test {
    private final SessionFixtures.RecordingStore store = new SessionFixtures.RecordingStore();
    private final IncomingQos2 qos2 = new IncomingQos2("c1", store);

    @Test
    void aResentDuplicateIsRecognisedUntilPubRel() {
        assertThat(qos2.begin(5, false)).isTrue();
        assertThat(qos2.begin(5, false)).as("duplicate").isFalse();
        assertThat(qos2.count()).isEqualTo(1);

        assertThat(qos2.release(5, false)).isTrue();
        assertThat(qos2.release(5, false)).isFalse();
        assertThat(qos2.begin(5, false)).as("a new message may reuse the id").isTrue();
        assertThat(store.events).isEmpty();
    }

    @Test
    void aPersistentSessionKeepsTheIdsInTheStore() {
        qos2.begin(5, true);
        qos2.begin(5, true);
        qos2.release(5, true);

        assertThat(store.events).containsExactly("qos2 5", "pubrel 5");
    }

    @Test
    void idsComeBackFromTheStore() {
        qos2.restore(List.of(3, 4));

        assertThat(qos2.begin(3, true)).isFalse();
        assertThat(qos2.count()).isEqualTo(2);
    }
}
