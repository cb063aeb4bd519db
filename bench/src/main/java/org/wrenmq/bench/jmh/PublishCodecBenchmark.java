package org.wrenmq.bench.jmh;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.PooledByteBufAllocator;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.mqtt.MqttDecoder;
import io.netty.handler.codec.mqtt.MqttEncoder;
import io.netty.handler.codec.mqtt.MqttFixedHeader;
import io.netty.handler.codec.mqtt.MqttMessageType;
import io.netty.handler.codec.mqtt.MqttPublishMessage;
import io.netty.handler.codec.mqtt.MqttPublishVariableHeader;
import io.netty.handler.codec.mqtt.MqttQoS;
import io.netty.util.ReferenceCountUtil;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;

/**
 * PUBLISH through the codec the broker's pipeline uses (netty-codec-mqtt's MqttEncoder/MqttDecoder), one packet
 * per operation, on a pooled allocator as on a live channel. The EmbeddedChannel around each handler adds a
 * small, constant cost to both.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
public class PublishCodecBenchmark {
    private static final String TOPIC = "factory/line-7/station-42/telemetry";

    @Param({"256", "4096"})
    public int payloadSize;

    private EmbeddedChannel encoder;
    private EmbeddedChannel decoder;
    private ByteBuf payload;
    private ByteBuf encodedPublish;

    @Setup(Level.Trial)
    public void setUp() {
        encoder = new EmbeddedChannel(MqttEncoder.INSTANCE);
        decoder = new EmbeddedChannel(new MqttDecoder(1 << 20));
        encoder.config().setAllocator(PooledByteBufAllocator.DEFAULT);
        decoder.config().setAllocator(PooledByteBufAllocator.DEFAULT);
        payload = PooledByteBufAllocator.DEFAULT.directBuffer(payloadSize).writeZero(payloadSize);
        encoder.writeOutbound(publish(payload.retainedDuplicate()));
        encodedPublish = encoder.readOutbound();
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        payload.release();
        encodedPublish.release();
        encoder.finishAndReleaseAll();
        decoder.finishAndReleaseAll();
    }

    /** What the broker does once per delivery: a PUBLISH for one subscriber, written to its socket buffer. */
    @Benchmark
    public int encode() {
        encoder.writeOutbound(publish(payload.retainedDuplicate()));
        ByteBuf bytes = encoder.readOutbound();
        int size = bytes.readableBytes();
        bytes.release();
        return size;
    }

    /** What the broker does once per incoming message: bytes from the socket to a PUBLISH. */
    @Benchmark
    public int decode() {
        decoder.writeInbound(encodedPublish.retainedDuplicate());
        MqttPublishMessage message = decoder.readInbound();
        int id = message.variableHeader().packetId();
        ReferenceCountUtil.release(message);
        return id;
    }

    private static MqttPublishMessage publish(ByteBuf payload) {
        return new MqttPublishMessage(new MqttFixedHeader(MqttMessageType.PUBLISH, false, MqttQoS.AT_LEAST_ONCE,
                false, 0), new MqttPublishVariableHeader(TOPIC, 42), payload);
    }
}
