package org.wrenmq.jca.broker;

import java.util.concurrent.CompletionStage;
import org.wrenmq.api.MqttMessage;

/** Sends messages to the broker; the stage completes when the broker has accepted the message. */
public interface PublishChannel extends AutoCloseable {

    CompletionStage<Void> publish(MqttMessage message);

    /** False once the channel cannot publish any more (its connection is gone and will not come back). */
    boolean isUsable();

    @Override
    void close();
}
