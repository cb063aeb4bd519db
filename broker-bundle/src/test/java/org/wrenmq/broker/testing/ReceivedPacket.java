package org.wrenmq.broker.testing;

/** A control packet read from the broker, as a suite decodes it for its protocol version. */
public interface ReceivedPacket {
    int type();

    /** Decodes the fixed header's type and flags and the body that followed the remaining length. */
    @FunctionalInterface
    interface Decoder<P extends ReceivedPacket> {
        P decode(int type, int flags, byte[] body);
    }
}
