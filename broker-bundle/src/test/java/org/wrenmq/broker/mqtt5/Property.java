package org.wrenmq.broker.mqtt5;

/**
 * The MQTT 5 property identifiers (5.0 section 2.2.2.2) and how each is written on the wire, so raw packets can
 * carry exactly the properties a test wants and the broker's answers can be read back.
 */
enum Property {
    PAYLOAD_FORMAT_INDICATOR(0x01, Kind.BYTE),
    MESSAGE_EXPIRY_INTERVAL(0x02, Kind.FOUR_BYTES),
    CONTENT_TYPE(0x03, Kind.STRING),
    RESPONSE_TOPIC(0x08, Kind.STRING),
    CORRELATION_DATA(0x09, Kind.BINARY),
    SUBSCRIPTION_IDENTIFIER(0x0B, Kind.VARIABLE_BYTE_INTEGER),
    SESSION_EXPIRY_INTERVAL(0x11, Kind.FOUR_BYTES),
    ASSIGNED_CLIENT_IDENTIFIER(0x12, Kind.STRING),
    SERVER_KEEP_ALIVE(0x13, Kind.TWO_BYTES),
    AUTHENTICATION_METHOD(0x15, Kind.STRING),
    AUTHENTICATION_DATA(0x16, Kind.BINARY),
    REQUEST_PROBLEM_INFORMATION(0x17, Kind.BYTE),
    WILL_DELAY_INTERVAL(0x18, Kind.FOUR_BYTES),
    REQUEST_RESPONSE_INFORMATION(0x19, Kind.BYTE),
    RESPONSE_INFORMATION(0x1A, Kind.STRING),
    SERVER_REFERENCE(0x1C, Kind.STRING),
    REASON_STRING(0x1F, Kind.STRING),
    RECEIVE_MAXIMUM(0x21, Kind.TWO_BYTES),
    TOPIC_ALIAS_MAXIMUM(0x22, Kind.TWO_BYTES),
    TOPIC_ALIAS(0x23, Kind.TWO_BYTES),
    MAXIMUM_QOS(0x24, Kind.BYTE),
    RETAIN_AVAILABLE(0x25, Kind.BYTE),
    USER_PROPERTY(0x26, Kind.STRING_PAIR),
    MAXIMUM_PACKET_SIZE(0x27, Kind.FOUR_BYTES),
    WILDCARD_SUBSCRIPTION_AVAILABLE(0x28, Kind.BYTE),
    SUBSCRIPTION_IDENTIFIER_AVAILABLE(0x29, Kind.BYTE),
    SHARED_SUBSCRIPTION_AVAILABLE(0x2A, Kind.BYTE);

    /** The data types of section 1.5 that properties use. */
    enum Kind { BYTE, TWO_BYTES, FOUR_BYTES, VARIABLE_BYTE_INTEGER, STRING, BINARY, STRING_PAIR }

    final int id;
    final Kind kind;

    Property(int id, Kind kind) {
        this.id = id;
        this.kind = kind;
    }

    static Property byId(int id) {
        for (Property p : values()) {
            if (p.id == id) {
                return p;
            }
        }
        throw new AssertionError("the broker sent unknown property identifier 0x" + Integer.toHexString(id));
    }
}
