package org.wrenmq.bench.load;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.handler.codec.mqtt.MqttQoS;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.wrenmq.broker.Broker;

/**
 * The load generator counts right: against a broker in this JVM, small bounded runs that cannot overflow any
 * queue must report every message delivered exactly as often as expected. Checks counts only, never speed.
 */
class LoadGeneratorTest {
    private static final long CLOCK_TICKS = 100;

    private static Broker broker;
    private static ClientFactory clients;
    private static Target target;
    private static LoadContext context;

    @BeforeAll
    static void startBroker() {
        broker = Broker.builder().listener(0, "127.0.0.1").set("allow_anonymous", "true")
                .set("persistence", "false").build().start();
        clients = new ClientFactory();
        target = new Target("wrenmq", "127.0.0.1", broker.port(), broker.port(), ProcessHandle.current().pid());
        context = new LoadContext(clients, CLOCK_TICKS, TimeUnit.SECONDS.toNanos(10), false);
    }

    @AfterAll
    static void stopBroker() {
        clients.close();
        broker.close();
    }

    @Test
    void qos1ManyToManyRunDeliversEveryMessageToEverySubscriber() throws Exception {
        // 2 x 400 messages reach each subscriber: within inflight (20) plus queue (1000), so nothing may drop
        List<Metric> metrics = new ThroughputWorkload("t1", "test QoS 1", 2, 3, MqttQoS.AT_LEAST_ONCE, 64, 10, 400,
                "test/q1/", "test/q1/+").run(target, context);

        assertThat(value(metrics, "delivered/expected %")).isEqualTo(100.0);
        assertThat(value(metrics, "delivered msg/s")).isPositive();
    }

    @Test
    void deviceLikeClientsDeliverEveryMessageAtEachQos() throws Exception {
        LoadContext devices = new LoadContext(clients, CLOCK_TICKS, TimeUnit.SECONDS.toNanos(10), true);
        for (MqttQoS qos : MqttQoS.values()) {
            if (qos == MqttQoS.FAILURE) {
                continue;
            }
            List<Metric> metrics = new ThroughputWorkload("d" + qos.value(), "device-like QoS " + qos.value(), 2, 2,
                    qos, 64, 20, 300, "test/device" + qos.value() + "/", "test/device" + qos.value() + "/+")
                    .run(target, devices);

            assertThat(value(metrics, "delivered/expected %")).as("QoS %d", qos.value()).isEqualTo(100.0);
        }
    }

    @Test
    void qos2RunDeliversExactlyOnce() throws Exception {
        List<Metric> metrics = new ThroughputWorkload("t2", "test QoS 2", 2, 1, MqttQoS.EXACTLY_ONCE, 64, 10, 300,
                "test/q2/", "test/q2/+").run(target, context);

        assertThat(value(metrics, "delivered/expected %")).isEqualTo(100.0);
        assertThat(value(metrics, "duplicates")).isZero();
    }

    @Test
    void idleConnectionsAreAllAcceptedAndMeasured() throws Exception {
        List<Metric> metrics = new IdleConnectionsWorkload(50).run(target, context);

        assertThat(value(metrics, "connects/s")).isPositive();
        assertThat(value(metrics, "broker RSS MiB with all open")).isPositive();
        assertThat(value(metrics, "connects/s, JIT-warm")).isPositive();
    }

    private static double value(List<Metric> metrics, String name) {
        return metrics.stream().filter(m -> m.name().equals(name)).findFirst().orElseThrow().value();
    }
}
