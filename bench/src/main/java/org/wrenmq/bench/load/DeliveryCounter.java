package org.wrenmq.bench.load;

import io.netty.handler.codec.mqtt.MqttPublishMessage;
import java.util.concurrent.atomic.LongAdder;

/** Counts what the subscribers of one run receive, and when the last message arrived. */
final class DeliveryCounter implements ClientConnection.Listener {
    private final LongAdder delivered = new LongAdder();
    private final LongAdder duplicates = new LongAdder();
    private volatile long lastDeliveryNanos;

    @Override
    public void onMessage(MqttPublishMessage message) {
        delivered.increment();
        if (message.fixedHeader().isDup()) {
            duplicates.increment();
        }
        lastDeliveryNanos = System.nanoTime();
    }

    long delivered() {
        return delivered.sum();
    }

    long duplicates() {
        return duplicates.sum();
    }

    long lastDeliveryNanos() {
        return lastDeliveryNanos;
    }
}
