package org.wrenmq.broker.cluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.wrenmq.api.QoS;
import org.wrenmq.broker.message.Origin;
import org.wrenmq.broker.message.Publication;
import org.wrenmq.broker.store.SessionBytes;
import org.wrenmq.broker.store.StoreCorruptException;
import org.wrenmq.broker.store.StoredEntry;
import org.wrenmq.broker.store.StoredSession;

/** The value of a message entry in the session mirror: format 3 (with the identity) and format 2 (before it). */
@DisplayName("a message entry of the session mirror")
class MirrorValueTests {
    private static final Origin ORIGIN = new Origin(UUID.randomUUID(), 42);
    private static final StoredEntry ENTRY = new StoredEntry(5, 9, QoS.EXACTLY_ONCE, false, new int[0], false);
    private static final byte[] MESSAGE = SessionBytes.encode(new StoredSession("meter", 0, 0, List.of(), null, 0,
            List.of(ENTRY), List.of(), Map.of(9L, Publication.simple("plant/line-1",
                    "reading".getBytes(StandardCharsets.UTF_8), QoS.EXACTLY_ONCE, false, "publisher"))));

    @Test
    @DisplayName("keeps the ring buffer position and the message's identity, which its entry carries when read")
    void identityIsKept() {
        MirrorValue value = MirrorValue.read(MirrorValue.of(17, ORIGIN, MESSAGE));

        assertThat(value.ringSeq()).isEqualTo(17);
        assertThat(value.origin()).isEqualTo(ORIGIN);
        assertThat(value.isTombstone()).isFalse();
        assertThat(value.message().entries().get(0).origin()).isEqualTo(ORIGIN);
        assertThat(value.message().entries().get(0).seq()).isEqualTo(5);
    }

    @Test
    @DisplayName("an entry and a tombstone written by a node of the previous version (format 2) are read, without "
            + "identity")
    void previousFormatIsRead() {
        for (long ringSeq : new long[] {-1, 0, 17}) {
            byte[] old = ByteBuffer.allocate(Long.BYTES + MESSAGE.length).putLong(ringSeq).put(MESSAGE).array();
            MirrorValue value = MirrorValue.read(old);
            assertThat(value.ringSeq()).isEqualTo(ringSeq);
            assertThat(value.origin()).isNull();
            assertThat(value.message().entries()).hasSize(1);
            assertThat(value.message().entries().get(0).origin()).isNull();

            MirrorValue tombstone = MirrorValue.read(ByteBuffer.allocate(Long.BYTES).putLong(ringSeq).array());
            assertThat(tombstone.isTombstone()).isTrue();
            assertThat(tombstone.ringSeq()).isEqualTo(ringSeq);
        }
    }

    @Test
    @DisplayName("an entry without identity is written in the previous format, which older nodes read")
    void withoutIdentityTheFormerFormatIsWritten() {
        byte[] value = MirrorValue.of(-1, null, MESSAGE);

        assertThat(value).isEqualTo(ByteBuffer.allocate(Long.BYTES + MESSAGE.length).putLong(-1).put(MESSAGE).array());
        assertThat(MirrorValue.tombstone(3, null)).hasSize(Long.BYTES);
    }

    @Test
    @DisplayName("a tombstone keeps the finished message's identity")
    void tombstoneKeepsTheIdentity() {
        MirrorValue tombstone = MirrorValue.read(MirrorValue.tombstone(8, ORIGIN));

        assertThat(tombstone.isTombstone()).isTrue();
        assertThat(tombstone.ringSeq()).isEqualTo(8);
        assertThat(tombstone.origin()).isEqualTo(ORIGIN);
    }

    @Test
    @DisplayName("marked released, an entry keeps its position and identity")
    void releasedKeepsPositionAndIdentity() {
        MirrorValue value = MirrorValue.read(MirrorValue.of(17, ORIGIN, MESSAGE));
        byte[] released = value.withMessage(SessionBytes.encode(new StoredSession("meter", 0, 0, List.of(), null, 0,
                List.of(ENTRY.asReleased()), List.of(), value.message().messages())));

        MirrorValue again = MirrorValue.read(released);
        assertThat(again.ringSeq()).isEqualTo(17);
        assertThat(again.origin()).isEqualTo(ORIGIN);
        assertThat(again.message().entries().get(0).released()).isTrue();
    }

    @Test
    @DisplayName("a value cut short is corrupt, not a crash")
    void cutShortIsCorrupt() {
        byte[] value = MirrorValue.tombstone(8, ORIGIN);

        assertThatThrownBy(() -> MirrorValue.read(java.util.Arrays.copyOf(value, 20)))
                .isInstanceOf(StoreCorruptException.class);
        assertThatThrownBy(() -> MirrorValue.read(new byte[3])).isInstanceOf(StoreCorruptException.class);
    }
}
