package org.wrenmq.api.jca;

import jakarta.resource.Referenceable;
import jakarta.resource.ResourceException;
import java.io.Serializable;

/** Injected with {@code @Resource}; hands out connections that publish through the resource adapter. */
public interface MqttConnectionFactory extends Serializable, Referenceable {

    /** @throws ResourceException when no connection to the broker can be had; never returns null */
    MqttConnection getConnection() throws ResourceException;
}
