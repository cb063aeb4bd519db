package org.wrenmq.broker.flow;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.WriteBufferWaterMark;
import io.netty.channel.embedded.EmbeddedChannel;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;
import org.wrenmq.broker.Broker;
import org.wrenmq.broker.Limits;
import org.wrenmq.broker.conformance.Packets;

/**
 * Issue 15's stalled fan-in: a subscriber got 961 of 100,000 messages from a broker started seconds before, then
 * nothing for over three seconds, and gave up. The broker had not lost the messages: it had written them to the
 * subscriber's connection and was waiting for the end of its event loop's turn to flush them, while that turn went
 * on reading megabytes from eight publishers, slowly (the JIT compiler still busy, the CPU shared). The per-turn
 * flush now has a bound: a subscriber gets what was written for it before the turn ends once
 * {@link Limits#WRITE_FLUSH_BYTES} have gathered.
 *
 * <p>The turn is made explicit here: both connections are Netty {@link EmbeddedChannel}s on the real pipeline of a
 * real broker, so the subscriber's loop runs its end-of-turn work only when the test says so.
 */
class LongTurnDeliveryTests {
    private static final int MESSAGES = 1_000;
    private static final int PAYLOAD_BYTES = 256;

    @Test
    void messagesWrittenEarlyInALongTurnReachTheSubscribersSocketBeforeTheTurnEnds() throws Exception {
        try (Broker broker = Broker.builder().listener(0, "127.0.0.1").set("persistence", "false")
                .set("sys_interval", "0").set("allow_anonymous", "true").set("io_threads", "1")
                .set("max_queued_messages", "100000").build().start()) {
            TurnChannel subscriber = connection(broker);
            subscriber.writeInbound(Unpooled.wrappedBuffer(Packets.connect("subscriber").bytes(),
                    Packets.subscribe(1, "devices/+/reading", 0)));
            subscriber.endTurn();
            releaseOutbound(subscriber); // CONNACK, SUBACK
            TurnChannel publisher = connection(broker);
            publisher.writeInbound(Unpooled.wrappedBuffer(Packets.connect("device").bytes()));
            publisher.endTurn();
            releaseOutbound(publisher); // CONNACK

            // one read of 1,000 PUBLISH packets (263 KB, a quarter of the high-water mark): the subscriber's loop is
            // still in the turn that routes them
            byte[] burst = burst();
            publisher.writeInbound(Unpooled.wrappedBuffer(burst));
            long beforeTurnEnds = releaseOutbound(subscriber);
            subscriber.endTurn();
            long afterTurn = releaseOutbound(subscriber);

            long expected = (long) MESSAGES * (burst.length / MESSAGES);
            assertThat(beforeTurnEnds).as("bytes flushed to the subscriber before the turn ended")
                    .isGreaterThanOrEqualTo(expected - Limits.WRITE_FLUSH_BYTES);
            assertThat(beforeTurnEnds + afterTurn).as("bytes flushed to the subscriber in all").isEqualTo(expected);
            publisher.finishAndReleaseAll();
            subscriber.finishAndReleaseAll();
        }
    }

    /** A connection on the broker's own pipeline, with the write-buffer limits its listeners give each socket. */
    private static TurnChannel connection(Broker broker) throws Exception {
        TurnChannel channel = new TurnChannel(broker);
        channel.config().setWriteBufferWaterMark(new WriteBufferWaterMark(Limits.WRITE_BUFFER_LOW_WATER_MARK,
                Limits.WRITE_BUFFER_HIGH_WATER_MARK));
        channel.register();
        return channel;
    }

    /**
     * An {@link EmbeddedChannel} whose loop runs its queued work (the end of a turn) only in {@link #endTurn}: a plain
     * one runs it after every write, which a real event loop never does in the middle of a turn.
     */
    private static final class TurnChannel extends EmbeddedChannel {
        private boolean turnEnding;

        TurnChannel(Broker broker) {
            super(false, false, broker.connectionInitializer());
        }

        @Override
        public void runPendingTasks() {
            if (turnEnding) {
                super.runPendingTasks();
            }
        }

        void endTurn() {
            turnEnding = true;
            try {
                super.runPendingTasks();
            } finally {
                turnEnding = false;
            }
        }
    }

    /** MQTT 3.1.1 QoS 0 PUBLISH packets of one device, back to back, as one read would bring them. */
    private static byte[] burst() {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        byte[] topic = "devices/1/reading".getBytes(StandardCharsets.UTF_8);
        for (int i = 0; i < MESSAGES; i++) {
            out.writeBytes(Packets.publish(topic, new byte[PAYLOAD_BYTES], 0, false, false, 0));
        }
        return out.toByteArray();
    }

    /** Bytes the connection has flushed towards its client so far (its socket, here), released. */
    private static long releaseOutbound(EmbeddedChannel channel) {
        long bytes = 0;
        for (Object m; (m = channel.readOutbound()) != null; ) {
            bytes += ((ByteBuf) m).readableBytes();
            ((ByteBuf) m).release();
        }
        return bytes;
    }
}
