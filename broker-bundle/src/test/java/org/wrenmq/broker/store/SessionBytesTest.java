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
import org.wrenmq.broker.message.Origin;
import org.wrenmq.broker.message.Publication;

/** A session as a cluster node hands it over: what is written reads back the same, in either format. */
class SessionBytesTest {
    private static final Publication WILL = Publication.simple("plant/gone", "gone".getBytes(StandardCharsets.UTF_8),
            QoS.AT_LEAST_ONCE, false, "meter");
    private static final StoredSession SESSION = new StoredSession("meter", 3600, 1_700_000_000_000L,
            List.of(new StoredSession.SubscriptionRecord("plant/#", null, 2, false, true, 0, 4)), WILL, 30,
            List.of(new StoredEntry(7, 7, QoS.EXACTLY_ONCE, false, new int[] {4}, true),
                    new StoredEntry(65_544, 65_544, QoS.AT_LEAST_ONCE, false, new int[0], false)),
            List.of(3, 65_535),
            Map.of(7L, Publication.simple("plant/a", new byte[] {1}, QoS.EXACTLY_ONCE, false, "p"),
                    65_544L, Publication.simple("plant/b", new byte[] {2}, QoS.AT_LEAST_ONCE, false, "p")));

    @Test
    void aSessionWithReleasedEntriesIncomingQos2AndADelayedWillReadsBackTheSame() {
        StoredSession back = SessionBytes.decode(SessionBytes.encode(SESSION));

        assertThat(back).usingRecursiveComparison().isEqualTo(SESSION);
        assertThat(back.entries().get(0).released()).isTrue();
        assertThat(back.entries().get(1).packetId()).isEqualTo(9);
        assertThat(back.incomingQos2()).containsExactly(3, 65_535);
    }

    @Test
    void theFirstFormatFromANodeNotYetUpgradedReadsWithoutIncomingQos2() {
        byte[] current = SessionBytes.encode(SESSION);
        byte[] first = Arrays.copyOf(current, current.length - (1 + 4 + 2 * 2)); // without the part format 2 added

        StoredSession back = SessionBytes.decode(first);

        assertThat(back.incomingQos2()).isEmpty();
        assertThat(back.entries()).hasSize(2);
        assertThat(back.will()).usingRecursiveComparison().isEqualTo(WILL);
    }

    @Test
    void aLaterFormatOrTrailingBytesAreRefused() {
        byte[] current = SessionBytes.encode(SESSION);
        byte[] later = current.clone();
        later[current.length - (1 + 4 + 2 * 2)] = 4;
        byte[] trailing = Arrays.copyOf(current, current.length + 1);

        assertThatThrownBy(() -> SessionBytes.decode(later)).isInstanceOf(StoreCorruptException.class)
                .hasMessageContaining("version 4");
        assertThatThrownBy(() -> SessionBytes.decode(trailing)).isInstanceOf(StoreCorruptException.class);
    }

    @Test
    void eachEntryKeepsItsIdentityOrNone() {
        Origin origin = new Origin(UUID.randomUUID(), 42);
        StoredSession identified = withEntries(SESSION.entries().get(0).withOrigin(origin), SESSION.entries().get(1));

        StoredSession back = SessionBytes.decode(SessionBytes.encode(identified));

        assertThat(back.entries()).extracting(StoredEntry::origin).containsExactly(origin, null);
        assertThat(back).usingRecursiveComparison().isEqualTo(identified);
    }

    @Test
    void withoutIdentitiesTheSecondFormatIsWrittenAndIdentitiesCutShortAreRefused() {
        byte[] second = SessionBytes.encode(SESSION);
        byte[] third = SessionBytes.encode(withEntries(SESSION.entries().get(0),
                SESSION.entries().get(1).withOrigin(new Origin(UUID.randomUUID(), 1))));

        assertThat(second[second.length - (1 + 4 + 2 * 2)]).as("format 2, which the previous version reads")
                .isEqualTo((byte) 2);
        assertThat(third.length).isEqualTo(second.length + 1 + 1 + 24);
        assertThatThrownBy(() -> SessionBytes.decode(Arrays.copyOf(third, third.length - 1)))
                .isInstanceOf(StoreCorruptException.class);
    }

    private static StoredSession withEntries(StoredEntry... entries) {
        return new StoredSession(SESSION.clientId(), SESSION.expiryIntervalSeconds(), SESSION.disconnectedAtMillis(),
                SESSION.subscriptions(), SESSION.will(), SESSION.willDelaySeconds(), List.of(entries),
                SESSION.incomingQos2(), SESSION.messages());
    }

    @Test
    void entriesRenumberedForAMoveKeepTheirPacketIds() {
        long seq = StoredEntry.seqAfter(0, 65_535);
        long next = StoredEntry.seqAfter(seq, 1);
        long same = StoredEntry.seqAfter(next, 2);

        assertThat(new long[] {seq, next, same}).containsExactly(65_535, 65_536, 65_537);
        assertThat(StoredEntry.seqAfter(10, 5)).isGreaterThan(10);
        assertThat(new StoredEntry(StoredEntry.seqAfter(10, 5), 0, QoS.AT_LEAST_ONCE, false, new int[0], false)
                .packetId()).isEqualTo(5);
    }
}
