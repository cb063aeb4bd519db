package org.wrenmq.jca.broker;

import org.wrenmq.api.MqttMessage;

/**
 * Takes the messages of one subscription. Called on a thread of the broker or of the MQTT client: it must not
 * block, and it must finish every message with {@link Acknowledger#accept()} or {@link Acknowledger#reject()}.
 */
@FunctionalInterface
public interface InboundSink {

    void deliver(MqttMessage message, Acknowledger acknowledger);

    /** Settles one received message with the broker. */
    interface Acknowledger {
        /** The message was processed: PUBACK / PUBCOMP goes to the broker. */
        void accept();

        /** The message was not processed: the broker keeps it and delivers it again. */
        void reject();
    }
}
