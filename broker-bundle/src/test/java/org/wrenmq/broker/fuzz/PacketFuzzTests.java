package org.wrenmq.broker.fuzz;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.junit.FuzzTest;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import org.wrenmq.broker.Broker;

/**
 * Any bytes a client may send, through the whole inbound path of a real broker: frame decoder, Netty's MQTT
 * decoder, connect gate, connection handler and the handlers behind it (sessions, router, retained messages).
 * Whatever comes, the broker must answer or close the connection; no exception may escape a handler
 * ({@code connections.closed.internal_error} stays 0) and no buffer may leak (the tests run Netty's leak detector
 * at paranoid).
 *
 * <p>Each input gets a broker of its own, so inputs cannot disturb each other through sessions left behind. The
 * input is cut in two at a point it chooses (its first byte), so packets split across reads are covered too.
 * Seeds: {@code src/test/resources/org/wrenmq/broker/fuzz/PacketFuzzTestsInputs/}. Long runs: {@code fuzz/run.sh}.
 */
class PacketFuzzTests {

    @FuzzTest(maxDuration = "15s")
    void anyBytesFromAClient(byte[] input) {
        try (Broker broker = Broker.builder().listener(0, "127.0.0.1").set("persistence", "false").set("sys_interval", "0")
                .set("allow_anonymous", "true").set("io_threads", "1").set("message_size_limit", "65536")
                .build().start()) {
            EmbeddedChannel client = new EmbeddedChannel(broker.connectionInitializer());
            int split = input.length == 0 ? 0 : 1 + (input[0] & 0xFF) % input.length;
            client.writeInbound(Unpooled.wrappedBuffer(input, 0, Math.min(split, input.length)));
            client.runPendingTasks();
            if (split < input.length && client.isOpen()) {
                client.writeInbound(Unpooled.wrappedBuffer(input, split, input.length - split));
                client.runPendingTasks();
            }
            client.finishAndReleaseAll();
            client.runPendingTasks();
            assertThat(broker.counters().get("connections.closed.internal_error")).isZero();
        }
    }
}
