package org.wrenmq.api.jca;

import org.wrenmq.api.MqttPublisher;

/** A connection handle: publish through it, then close it (try-with-resources) to return it to the pool. */
public interface MqttConnection extends MqttPublisher, AutoCloseable {

    @Override
    void close();
}
