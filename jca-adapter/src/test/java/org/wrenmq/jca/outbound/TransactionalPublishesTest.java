package org.wrenmq.jca.outbound;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import jakarta.resource.spi.LocalTransactionException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import org.junit.jupiter.api.Test;
import org.wrenmq.api.MqttMessage;
import org.wrenmq.api.MqttPublishException;
import org.wrenmq.jca.broker.PublishChannel;

class TransactionalPublishesTest {

    /** A channel that records what reaches it, and refuses topics starting with "refused". */
    private static final class RecordingChannel implements PublishChannel {
        final List<String> published = new ArrayList<>();

        @Override
        public CompletionStage<Void> publish(MqttMessage message) {
            if (message.topic().startsWith("refused")) {
                return CompletableFuture.failedFuture(new MqttPublishException(0x87, "not authorized"));
            }
            published.add(message.topic());
            return CompletableFuture.completedFuture(null);
        }

        @Override
        public boolean isUsable() {
            return true;
        }

        @Override
        public void close() {
        }
    }

    private final RecordingChannel channel = new RecordingChannel();
    private final TransactionalPublishes transaction = new TransactionalPublishes(channel);

    @Test
    void withoutATransactionNothingIsHeld() {
        assertThat(transaction.buffer(MqttMessage.of("a", "x"))).isFalse();
    }

    @Test
    void commitPublishesTheHeldMessagesInOrder() throws Exception {
        transaction.begin();
        assertThat(transaction.buffer(MqttMessage.of("a", "1"))).isTrue();
        assertThat(transaction.buffer(MqttMessage.of("b", "2"))).isTrue();
        assertThat(channel.published).isEmpty();

        transaction.commit();

        assertThat(channel.published).containsExactly("a", "b");
        assertThat(transaction.buffer(MqttMessage.of("c", "3"))).as("the transaction is over").isFalse();
    }

    @Test
    void rollbackPublishesNothing() throws Exception {
        transaction.begin();
        transaction.buffer(MqttMessage.of("a", "1"));

        transaction.rollback();

        assertThat(channel.published).isEmpty();
    }

    @Test
    void aMessageTheBrokerRefusesFailsTheCommit() throws Exception {
        transaction.begin();
        transaction.buffer(MqttMessage.of("refused/topic", "1"));

        assertThatThrownBy(transaction::commit).isInstanceOf(LocalTransactionException.class)
                .hasMessageContaining("not authorized");
    }
}
