package org.wrenmq.broker.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import com.hazelcast.topic.ITopic;
import java.lang.reflect.Proxy;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.wrenmq.api.QoS;
import org.wrenmq.broker.message.Publication;
import org.wrenmq.broker.routing.SubscriptionTree;

/**
 * QoS 1/2 messages to another node keep their publish order in its ring buffer even when Hazelcast retries a
 * write (its partition's owner died): a write is on its way only once the one before it completed. Before, each
 * message was its own asynchronous write; a publisher's 20 in-flight messages were 20 writes at once, and a kill -9
 * of the ring buffer's owner let later ones land before retried earlier ones (ClusterIT saw s8-s19 before s0-s7).
 * The ring buffer here is a stand-in whose writes complete when the test says.
 */
@DisplayName("forwarding QoS 1/2 messages to another node")
class OrderedForwardingTests {
    private final List<Write> writes = new ArrayList<>();
    private final ClusterCounters counters = new ClusterCounters();
    private final Forwarder forwarder;

    OrderedForwardingTests() {
        SubscriptionTree remoteTree = new SubscriptionTree();
        RemoteNode node = new RemoteNode(UUID.randomUUID(), null, ringBuffer());
        remoteTree.add(node.subscription(new FilterKey(node.id(), null, "plant/#")));
        forwarder = new Forwarder(remoteTree, counters, null, false, UUID.randomUUID(), new Takeovers(), new Object());
    }

    @Test
    @DisplayName("[MQTT-4.6.0-5] a message waits while the write before it is on its way, then goes in one write "
            + "with the others that waited, in publish order")
    void oneWriteAtATimeInPublishOrder() {
        CompletableFuture<Void> s0 = publish("s0");
        CompletableFuture<Void> s1 = publish("s1");
        CompletableFuture<Void> s2 = publish("s2");

        assertThat(writes).as("writes on their way").hasSize(1);
        assertThat(writes.get(0).payloads()).containsExactly("s0");

        writes.get(0).done().complete(null);
        assertThat(s0).isCompleted();
        assertThat(s1).isNotDone();
        assertThat(writes).hasSize(2);
        assertThat(writes.get(1).payloads()).containsExactly("s1", "s2");

        writes.get(1).done().complete(null);
        assertThat(s1).isCompleted();
        assertThat(s2).isCompleted();
        assertThat(counters.messagesNotHeld.sum()).isZero();
    }

    @Test
    @DisplayName("a write the cluster refuses fails the acknowledgements of its messages only (counted), and the "
            + "next write goes on")
    void aFailedWriteFailsItsMessagesOnly() {
        CompletableFuture<Void> s0 = publish("s0");
        CompletableFuture<Void> s1 = publish("s1");

        writes.get(0).done().completeExceptionally(new IllegalStateException("no partition owner"));

        assertThat(s0).isCompletedExceptionally();
        assertThat(counters.messagesNotHeld.sum()).isOne();
        assertThat(writes).hasSize(2);
        writes.get(1).done().complete(null);
        assertThat(s1).isCompleted();
    }

    private CompletableFuture<Void> publish(String payload) {
        Publication p = Publication.simple("plant/stream", payload.getBytes(StandardCharsets.UTF_8),
                QoS.AT_LEAST_ONCE, false, "publisher");
        return forwarder.begin(p).send().toCompletableFuture();
    }

    /** One write to the ring buffer: the messages it carries, and its completion. */
    private record Write(List<String> payloads, CompletableFuture<Void> done) {
    }

    @SuppressWarnings("unchecked")
    private ITopic<byte[]> ringBuffer() {
        return (ITopic<byte[]>) Proxy.newProxyInstance(getClass().getClassLoader(), new Class<?>[] {ITopic.class},
                (proxy, method, args) -> switch (method.getName()) {
                    case "publishAsync" -> write(List.of((byte[]) args[0]));
                    case "publishAllAsync" -> write((Collection<byte[]>) args[0]);
                    default -> throw new UnsupportedOperationException(method.getName());
                });
    }

    private CompletionStage<Void> write(Collection<byte[]> envelopes) {
        List<String> payloads = new ArrayList<>();
        for (byte[] e : envelopes) {
            payloads.add(new String(Envelope.read(e).publication().payload(), StandardCharsets.UTF_8));
        }
        Write w = new Write(payloads, new CompletableFuture<>());
        writes.add(w);
        return w.done();
    }
}
