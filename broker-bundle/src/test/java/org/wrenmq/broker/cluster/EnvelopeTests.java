package org.wrenmq.broker.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.wrenmq.api.QoS;
import org.wrenmq.broker.message.Origin;
import org.wrenmq.broker.message.Publication;
import org.wrenmq.broker.store.PublicationBytes;

/** What one node sends another: the message, its shared groups and, for QoS 0, its number (to count losses). */
@DisplayName("a forwarded message's envelope")
class EnvelopeTests {
    private static final Publication MESSAGE = Publication.simple("plant/line-1", "21.5"
            .getBytes(StandardCharsets.UTF_8), QoS.AT_MOST_ONCE, false, "meter-1");

    @Test
    @DisplayName("carries the number the sending node gave it, its shared groups and the message")
    void numberedRoundTrip() {
        List<Envelope.GroupKey> groups = List.of(new Envelope.GroupKey("workers", "plant/#"));
        byte[] bytes = Envelope.write(groups, PublicationBytes.encode(MESSAGE));
        Envelope.number(bytes, 42);

        Envelope read = Envelope.read(bytes);

        assertThat(read.sequence()).isEqualTo(42);
        assertThat(read.sharedGroups()).isEqualTo(groups);
        assertThat(read.publication().topic()).isEqualTo("plant/line-1");
        assertThat(new String(read.publication().payload(), StandardCharsets.UTF_8)).isEqualTo("21.5");
    }

    @Test
    @DisplayName("names the nodes it was sent to when more than one, with its identity; reads as version 2 when "
            + "sent to one node without identity (a QoS 0 message)")
    void sentTo() {
        List<UUID> nodes = List.of(UUID.randomUUID(), UUID.randomUUID());
        Origin origin = new Origin(UUID.randomUUID(), 3);
        byte[] toTwo = Envelope.write(origin, List.of(), nodes, PublicationBytes.encode(MESSAGE));
        byte[] toOne = Envelope.write(null, List.of(), List.of(), PublicationBytes.encode(MESSAGE));

        assertThat(Envelope.read(toTwo).sentTo()).isEqualTo(nodes);
        assertThat(Envelope.read(toTwo).origin()).isEqualTo(origin);
        assertThat(Envelope.read(toTwo).publication().topic()).isEqualTo("plant/line-1");
        assertThat(toOne[0]).as("version").isEqualTo((byte) 2);
        assertThat(Envelope.read(toOne).sentTo()).isEmpty();
        assertThat(Envelope.read(toOne).origin()).isNull();
    }

    @Test
    @DisplayName("unnumbered (a QoS 1/2 message, counted by its ring buffer instead) reads as number 0")
    void unnumbered() {
        assertThat(Envelope.read(Envelope.write(List.of(), PublicationBytes.encode(MESSAGE))).sequence()).isZero();
    }

    @Test
    @DisplayName("a QoS 1/2 message carries its identity cluster-wide: the node it was published on and its number "
            + "there")
    void originRoundTrip() {
        Origin origin = new Origin(UUID.randomUUID(), 7);

        Envelope read = Envelope.read(Envelope.write(origin, List.of(), List.of(), PublicationBytes.encode(MESSAGE)));

        assertThat(read.origin()).isEqualTo(origin);
        assertThat(read.isSwitchedMark()).isFalse();
        assertThat(read.publication().topic()).isEqualTo("plant/line-1");
    }

    @Test
    @DisplayName("a node's switched mark (it writes nothing more into a dead node's ring buffer) reads as one, "
            + "naming the node")
    void switchedMark() {
        UUID node = UUID.randomUUID();

        Envelope read = Envelope.read(Envelope.switched(node));

        assertThat(read.isSwitchedMark()).isTrue();
        assertThat(read.origin().node()).isEqualTo(node);
    }

    @Test
    @DisplayName("a version 1 envelope from a node not yet upgraded still reads, unnumbered")
    void versionOneStillReads() throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (DataOutputStream out = new DataOutputStream(bytes)) {
            out.writeByte(1);
            out.writeShort(0);
            out.write(PublicationBytes.encode(MESSAGE));
        }

        Envelope read = Envelope.read(bytes.toByteArray());

        assertThat(read.sequence()).isZero();
        assertThat(read.publication().topic()).isEqualTo("plant/line-1");
    }
}
