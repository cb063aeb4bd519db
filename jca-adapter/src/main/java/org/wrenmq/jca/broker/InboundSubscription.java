package org.wrenmq.jca.broker;

import java.util.concurrent.CompletionStage;
import org.wrenmq.api.MqttMessage;

/** One live MQTT session that receives for a message endpoint; it also publishes that endpoint's dead letters. */
public interface InboundSubscription extends AutoCloseable {

    CompletionStage<Void> publish(MqttMessage message);

    /** Ends the subscription; a persistent session (clean start off) stays on the broker. */
    @Override
    void close();
}
