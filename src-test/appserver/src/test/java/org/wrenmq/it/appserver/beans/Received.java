package org.wrenmq.it.appserver.beans;

import jakarta.ejb.ConcurrencyManagement;
import jakarta.ejb.ConcurrencyManagementType;
import jakarta.ejb.Singleton;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicInteger;
import org.wrenmq.api.MqttMessage;

/** What the message-driven beans of the test application saw, for the tests to look at. */
@Singleton
@ConcurrencyManagement(ConcurrencyManagementType.BEAN)
public class Received {

    private final Queue<MqttMessage> messages = new ConcurrentLinkedQueue<>();
    private final Queue<Object> objects = new ConcurrentLinkedQueue<>();
    private final Map<String, AtomicInteger> attempts = new ConcurrentHashMap<>();
    private final AtomicInteger running = new AtomicInteger();
    private final AtomicInteger mostRunning = new AtomicInteger();

    public void record(MqttMessage message) {
        messages.add(message);
    }

    public void recordObject(Object value) {
        objects.add(value);
    }

    /** Counts a delivery of this payload; returns how many there were, this one included. */
    public int attempt(String payload) {
        return attempts.computeIfAbsent(payload, p -> new AtomicInteger()).incrementAndGet();
    }

    public int attempts(String payload) {
        AtomicInteger count = attempts.get(payload);
        return count == null ? 0 : count.get();
    }

    public List<MqttMessage> onTopicsStartingWith(String prefix) {
        List<MqttMessage> found = new ArrayList<>();
        for (MqttMessage m : messages) {
            if (m.topic().startsWith(prefix)) {
                found.add(m);
            }
        }
        return found;
    }

    public List<Object> objects() {
        return new ArrayList<>(objects);
    }

    public void enter() {
        int now = running.incrementAndGet();
        mostRunning.accumulateAndGet(now, Math::max);
    }

    public void leave() {
        running.decrementAndGet();
    }

    /** The most deliveries that ran at the same time between enter() and leave(). */
    public int mostRunningAtOnce() {
        return mostRunning.get();
    }
}
