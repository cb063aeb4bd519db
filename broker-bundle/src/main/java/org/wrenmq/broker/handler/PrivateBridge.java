package org.wrenmq.broker.handler;

import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import io.netty.util.AttributeKey;

/**
 * mosquitto's private bridge flag: an MQTT 3.1/3.1.1 bridge sets the high bit of the CONNECT's protocol level
 * (0x83, 0x84; mosquitto's {@code try_private}). As mosquitto does (handle_subscribe.c), such a connection's
 * subscriptions get no local and retain as published, so a bridge never receives its own messages back (no loop
 * on a {@code both} topic) and retained flags pass through it. Netty's decoder only knows the levels of the
 * specification, so the frame stage clears the bit before decoding and remembers it on the channel.
 */
public final class PrivateBridge {
    private static final AttributeKey<Boolean> BRIDGE = AttributeKey.valueOf(PrivateBridge.class, "bridge");
    private static final int FLAG = 0x80;

    private PrivateBridge() {
    }

    /** For the CONNECT in {@code frame[from, from + length)} (after the fixed header): clears and records the flag. */
    public static void strip(Channel channel, ByteBuf frame, int from, int length) {
        if (length < 3) {
            return;
        }
        int nameLength = frame.getUnsignedShort(from);
        int levelAt = from + 2 + nameLength;
        if (nameLength > 6 || levelAt >= from + length) {
            return;
        }
        int level = frame.getUnsignedByte(levelAt);
        if ((level & FLAG) != 0 && ((level & 0x7F) == 3 || (level & 0x7F) == 4)) {
            frame.setByte(levelAt, level & 0x7F);
            channel.attr(BRIDGE).set(Boolean.TRUE);
        }
    }

    /** Whether the client connected as a private bridge. */
    static boolean isBridge(Channel channel) {
        return channel != null && Boolean.TRUE.equals(channel.attr(BRIDGE).get());
    }
}
