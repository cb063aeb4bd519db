package org.wrenmq.broker.cluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.wrenmq.api.QoS;
import org.wrenmq.broker.message.Origin;
import org.wrenmq.broker.message.Publication;
import org.wrenmq.broker.store.StoreCorruptException;
import org.wrenmq.broker.store.StoredEntry;
import org.wrenmq.broker.store.StoredSession;

/** A split hand-over between nodes: each message keeps its identity, by which the kept copy knows it. */
@DisplayName("a split hand-over's bytes")
class SplitHandOverBytesTests {
    private static final UUID SENDER = UUID.randomUUID();
    private static final Origin ORIGIN = new Origin(UUID.randomUUID(), 42);

    @Test
    @DisplayName("carry each entry's identity, or none, in the entries' order, with the sender and its number")
    void identitiesAreKept() {
        byte[] bytes = SplitHandOverBytes.messages(SENDER, 7, twoMessages());

        SplitHandOverBytes.Header h = SplitHandOverBytes.header(bytes);
        assertThat(h.from()).isEqualTo(SENDER);
        assertThat(h.id()).isEqualTo(7);
        StoredSession s = SplitHandOverBytes.session(h, bytes);
        assertThat(s.clientId()).isEqualTo("meter");
        assertThat(s.entries()).extracting(StoredEntry::seq).containsExactly(3L, 4L);
        assertThat(s.entries()).extracting(StoredEntry::origin).containsExactly(ORIGIN, null);
        assertThat(new String(s.messages().get(3L).payload(), StandardCharsets.UTF_8)).isEqualTo("first");
    }

    @Test
    @DisplayName("of the previous version (kind 0), or cut short, are refused as unreadable")
    void previousVersionAndCutShortAreRefused() {
        byte[] bytes = SplitHandOverBytes.messages(SENDER, 7, twoMessages());
        byte[] previous = bytes.clone();
        previous[0] = 0;
        byte[] cut = Arrays.copyOf(bytes, 1 + 16 + 8 + 4 + 10); // within the session bytes

        assertThatThrownBy(() -> SplitHandOverBytes.session(SplitHandOverBytes.header(previous), previous))
                .isInstanceOf(StoreCorruptException.class);
        assertThatThrownBy(() -> SplitHandOverBytes.session(SplitHandOverBytes.header(cut), cut))
                .isInstanceOf(StoreCorruptException.class);
        assertThatThrownBy(() -> SplitHandOverBytes.header(new byte[] {2, 1}))
                .isInstanceOf(StoreCorruptException.class);
    }

    private static StoredSession twoMessages() {
        return new StoredSession("meter", 0, 0, List.of(), null, 0, List.of(
                new StoredEntry(3, 3, QoS.AT_LEAST_ONCE, false, new int[0], false, ORIGIN),
                new StoredEntry(4, 4, QoS.EXACTLY_ONCE, false, new int[0], false)), List.of(),
                Map.of(3L, message("first"), 4L, message("second")));
    }

    private static Publication message(String payload) {
        return Publication.simple("plant/line-1", payload.getBytes(StandardCharsets.UTF_8), QoS.EXACTLY_ONCE, false,
                "publisher");
    }
}
