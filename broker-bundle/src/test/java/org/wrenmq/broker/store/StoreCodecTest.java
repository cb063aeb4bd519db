package org.wrenmq.broker.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.wrenmq.api.QoS;
import org.wrenmq.api.UserProperty;
import org.wrenmq.broker.message.Origin;
import org.wrenmq.broker.message.Publication;

/** The store's record formats: what is written reads back the same; damaged records are refused, not guessed. */
class StoreCodecTest {
    private static final Publication FULL = new Publication("a/b", "payload".getBytes(StandardCharsets.UTF_8),
            QoS.EXACTLY_ONCE, true, "text/plain", "replies", new byte[] {1, 2}, 1,
            List.of(new UserProperty("k", "v"), new UserProperty("k", "w")), 1_234_567L, "publisher");

    @Test
    void aMessageWithEveryPropertyReadsBackTheSame() {
        Publication back = StoreCodec.message(StoreCodec.message(FULL));

        assertThat(back).usingRecursiveComparison().isEqualTo(FULL);
    }

    @Test
    void aPlainMessageReadsBackTheSame() {
        Publication plain = Publication.simple("t", new byte[0], QoS.AT_MOST_ONCE, false, null);

        assertThat(StoreCodec.message(StoreCodec.message(plain))).usingRecursiveComparison().isEqualTo(plain);
    }

    @Test
    void anEntryReadsBackWithItsSequenceNumber() {
        StoredEntry entry = new StoredEntry(70_000, 42, QoS.AT_LEAST_ONCE, true, new int[] {3, 9}, true);

        StoredEntry back = StoreCodec.entry(70_000, StoreCodec.entry(entry));

        assertThat(back).usingRecursiveComparison().isEqualTo(entry);
        assertThat(back.packetId()).isEqualTo(70_000 - 65_535);
    }

    @Test
    void anEntryKeepsItsMessagesIdentityAndOneWithoutStaysInTheFirstFormat() {
        StoredEntry plain = new StoredEntry(5, 42, QoS.EXACTLY_ONCE, false, new int[0], true);
        StoredEntry identified = plain.withOrigin(new Origin(UUID.randomUUID(), 77));

        byte[] bytes = StoreCodec.entry(identified);

        assertThat(StoreCodec.entry(5, bytes)).usingRecursiveComparison().isEqualTo(identified);
        assertThat(bytes[0]).as("format version").isEqualTo((byte) 2);
        assertThat(StoreCodec.entry(plain)[0]).as("read by the previous version too").isEqualTo((byte) 1);
        assertThatThrownBy(() -> StoreCodec.entry(5, Arrays.copyOf(bytes, bytes.length - 4)))
                .isInstanceOf(StoreCorruptException.class);
    }

    @Test
    void aSessionReadsBackWithSubscriptionsAndWill() {
        StoredSession session = new StoredSession("c1", 3600, 99, List.of(
                new StoredSession.SubscriptionRecord("a/#", null, 1, true, false, 2, 7),
                new StoredSession.SubscriptionRecord("jobs", "workers", 2, false, true, 0, 0)),
                FULL, 30, List.of(), List.of(), Map.of());

        StoredSession back = StoreCodec.session("c1", StoreCodec.session(session));

        assertThat(back).usingRecursiveComparison().isEqualTo(session);
    }

    @Test
    void damagedRecordsAreRefused() {
        byte[] good = StoreCodec.message(FULL);

        assertThatThrownBy(() -> StoreCodec.message(new byte[0])).isInstanceOf(StoreCorruptException.class);
        assertThatThrownBy(() -> StoreCodec.message(Arrays.copyOf(good, good.length - 3)))
                .isInstanceOf(StoreCorruptException.class);
        assertThatThrownBy(() -> StoreCodec.message(Arrays.copyOf(good, good.length + 1)))
                .isInstanceOf(StoreCorruptException.class).hasMessageContaining("unexpected bytes");
        byte[] future = good.clone();
        future[0] = 99;
        assertThatThrownBy(() -> StoreCodec.message(future)).hasMessageContaining("version 99");
    }
}
