package org.wrenmq.broker.auth;

/**
 * Decides whether a CONNECT's credentials let the client in, as mosquitto does: without a user name the client
 * is anonymous and needs {@code allow_anonymous true}; with one, it must match the {@code password_file} when
 * there is one.
 */
public final class Authenticator {

    public enum Result { ACCEPTED, BAD_USER_NAME_OR_PASSWORD, NOT_AUTHORIZED }

    private final boolean allowAnonymous;
    private final PasswordFile passwords;

    /** @param passwords null when no password file is configured */
    public Authenticator(boolean allowAnonymous, PasswordFile passwords) {
        this.allowAnonymous = allowAnonymous;
        this.passwords = passwords;
    }

    public Result check(String userName, byte[] password) {
        if (userName == null || passwords == null) {
            return allowAnonymous ? Result.ACCEPTED : Result.NOT_AUTHORIZED;
        }
        return passwords.verify(userName, password) ? Result.ACCEPTED : Result.BAD_USER_NAME_OR_PASSWORD;
    }
}
