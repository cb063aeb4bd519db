package org.wrenmq.it.durability;

import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import org.eclipse.paho.client.mqttv3.IMqttDeliveryToken;
import org.eclipse.paho.client.mqttv3.MqttCallback;
import org.eclipse.paho.client.mqttv3.MqttMessage;

/** What a subscriber received, counted per payload, so a test sees both losses and duplicates. */
final class Inbox implements MqttCallback {
    private final Map<String, AtomicInteger> counts = new ConcurrentHashMap<>();

    @Override
    public void messageArrived(String topic, MqttMessage message) {
        counts.computeIfAbsent(new String(message.getPayload(), StandardCharsets.UTF_8), p -> new AtomicInteger())
                .incrementAndGet();
    }

    @Override
    public void connectionLost(Throwable cause) {
    }

    @Override
    public void deliveryComplete(IMqttDeliveryToken token) {
    }

    boolean receivedAll(Set<String> payloads) {
        return counts.keySet().containsAll(payloads);
    }

    int count(String payload) {
        AtomicInteger n = counts.get(payload);
        return n == null ? 0 : n.get();
    }

    /** Payloads received more than once, with how often. */
    Map<String, Integer> duplicates() {
        Map<String, Integer> d = new TreeMap<>();
        counts.forEach((p, n) -> {
            if (n.get() > 1) {
                d.put(p, n.get());
            }
        });
        return d;
    }

    int distinct() {
        return counts.size();
    }
}
