package org.wrenmq.api;

/** MQTT quality of service levels. */
public enum QoS {
    AT_MOST_ONCE(0),
    AT_LEAST_ONCE(1),
    EXACTLY_ONCE(2);

    private final int value;

    QoS(int value) {
        this.value = value;
    }

    /** The level as it appears on the wire: 0, 1 or 2. */
    public int value() {
        return value;
    }

    /** The lower of two levels: what a subscriber granted {@code other} receives of a message sent at this level. */
    public QoS min(QoS other) {
        return value <= other.value ? this : other;
    }

    /** @throws IllegalArgumentException for anything but 0, 1 or 2 */
    public static QoS of(int value) {
        switch (value) {
            case 0: return AT_MOST_ONCE;
            case 1: return AT_LEAST_ONCE;
            case 2: return EXACTLY_ONCE;
            default: throw new IllegalArgumentException("QoS must be 0, 1 or 2, not " + value);
        }
    }
}
