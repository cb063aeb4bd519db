package org.wrenmq.broker.session;

import io.netty.util.concurrent.EventExecutor;
import org.wrenmq.broker.routing.Delivery;

/**
 * Where a session's messages go while a client is attached: a network connection, or an in-VM listener.
 * Called on the session's executor only.
 */
public interface Outlet {

    /** False while the transport's buffers are full: the session then keeps messages queued. */
    boolean isWritable();

    /**
     * Sends one PUBLISH. {@code packetId} is 0 for QoS 0.
     *
     * @return false when the client cannot take it (larger than its maximum packet size): the message is then
     *     treated as delivered, as MQTT 5 requires [MQTT-3.1.2-25], and counted
     */
    boolean sendPublish(Delivery delivery, int packetId, boolean dup);

    void sendPubRel(int packetId);

    /** Another connection took over the session: disconnect this one (MQTT 5 reason 0x8E). */
    void takenOver();

    /** The client's address, for admin views and logs. */
    String remoteAddress();

    /** 3 (MQTT 3.1), 4 (3.1.1) or 5. */
    int protocolVersion();

    /** The most QoS 1/2 messages this client accepts unacknowledged (its receive maximum). */
    int receiveMaximum();

    /** The keepalive granted at CONNECT, seconds; 0 for none. */
    default int keepAliveSeconds() {
        return 0;
    }

    /** An operator asked to close this client's connection (MQTT 5: DISCONNECT 0x98); an in-VM client stays. */
    default void disconnectByAdministrator() {
    }

    /** The event loop of the connection, which the session runs on while attached; null for an in-VM client. */
    default EventExecutor eventLoop() {
        return null;
    }
}
