package org.wrenmq.broker.jmx;

import java.util.Map;

/**
 * The broker in JMX ({@code org.wrenmq:type=Broker,listener="ADDRESS:PORT"}): the figures {@code /metrics} and
 * {@code $SYS} show and the console's operations, for jconsole, VisualVM and Hawtio. An MXBean, so every value is
 * an open type a JMX client without WrenMQ's classes can read.
 */
public interface BrokerMXBean {
    long getClientsConnected();

    long getSessions();

    long getSubscriptions();

    long getRetainedMessages();

    long getMessagesQueued();

    long getMessagesReceived();

    long getMessagesSent();

    long getMessagesDropped();

    long getBytesReceived();

    long getBytesSent();

    /** Every counter by the name {@code $SYS/broker/...} also uses (dots for slashes). */
    Map<String, Long> getCounters();

    /** {@code CLIENT_ID ADDRESS MQTT-VERSION} of each session ({@code -} for the address of a disconnected one). */
    String[] listClients();

    /** Closes the client's connection (MQTT 5: reason 0x98, administrative action). @return false if not connected */
    boolean disconnectClient(String clientId);

    /** Removes the retained message of the topic. @return false when it had none */
    boolean deleteRetained(String topic);
}
