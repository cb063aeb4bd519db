package org.wrenmq.broker.auth;

import io.netty.channel.Channel;
import io.netty.util.AttributeKey;

/**
 * The user name a TLS listener took from the client's certificate ({@code use_identity_as_username},
 * {@code use_subject_as_username}). Set by the transport once the handshake verified the certificate; at CONNECT
 * it replaces the user name and password the client sent, as in mosquitto.
 */
public final class CertificateIdentity {
    private static final AttributeKey<String> USER_NAME = AttributeKey.valueOf("wrenmq.certificate-user-name");

    private CertificateIdentity() {
    }

    public static void set(Channel channel, String userName) {
        channel.attr(USER_NAME).set(userName);
    }

    /** @return the certificate's user name, or null when the listener does not take one from certificates */
    public static String userName(Channel channel) {
        return channel.hasAttr(USER_NAME) ? channel.attr(USER_NAME).get() : null;
    }
}
