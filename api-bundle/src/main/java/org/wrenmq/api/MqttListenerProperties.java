package org.wrenmq.api;

/**
 * Names of the service properties (OSGi whiteboard) and activation properties (Jakarta EE message-driven
 * beans) that say what an {@link MqttMessageListener} receives. The same names serve both homes.
 */
public final class MqttListenerProperties {
    /** One topic filter, or several (a String[] or a comma separated String). Required. */
    public static final String TOPIC_FILTER = "topicFilter";
    /** Maximum QoS of the subscription, 0, 1 or 2. Default 1. */
    public static final String QOS = "qos";
    /** Name of a shared subscription group ({@code $share/GROUP/filter}): each message reaches one member. */
    public static final String SHARE_GROUP = "shareGroup";

    private MqttListenerProperties() {
    }
}
