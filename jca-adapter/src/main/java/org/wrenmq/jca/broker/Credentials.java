package org.wrenmq.jca.broker;

import java.nio.charset.StandardCharsets;

/**
 * The MQTT user name and password one connection or message endpoint logs in with; {@link #NONE} for none (an
 * anonymous client of an external server; trusted in-VM code on the embedded broker).
 *
 * @param password null when only a user name is given
 */
public record Credentials(String userName, String password) {
    public static final Credentials NONE = new Credentials(null, null);

    /** Credentials from two properties; NONE when the user name is empty. */
    public static Credentials of(String userName, String password) {
        return userName == null || userName.isEmpty() ? NONE
                : new Credentials(userName, password == null || password.isEmpty() ? null : password);
    }

    public boolean isNone() {
        return userName == null;
    }

    /** These, or {@code fallback} when these are none. */
    public Credentials orElse(Credentials fallback) {
        return isNone() ? fallback : this;
    }

    public byte[] passwordBytes() {
        return password == null ? null : password.getBytes(StandardCharsets.UTF_8);
    }

    /** Never shows the password: these end up in log lines and exception messages. */
    @Override
    public String toString() {
        return isNone() ? "no user name" : "user '" + userName + "'";
    }
}
