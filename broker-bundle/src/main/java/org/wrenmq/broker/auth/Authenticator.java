package org.wrenmq.broker.auth;

import java.nio.file.Path;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Decides whether a CONNECT's credentials let the client in, as mosquitto does: without a user name the client
 * is anonymous and needs {@code allow_anonymous true}; with one, it must match the {@code password_file} when
 * there is one. {@link #reload()} reads the password file again (SIGHUP): connected clients stay, the next CONNECT
 * is checked against the new file.
 */
public final class Authenticator {

    /**
     * Why a client was let in or not. Both refusals are answered "not authorized" (CONNACK 5 / 0x87) as in
     * mosquitto 2; they differ in the log line only.
     */
    public enum Result { ACCEPTED, BAD_USER_NAME_OR_PASSWORD, NOT_AUTHORIZED }

    private static final Logger LOG = LoggerFactory.getLogger(Authenticator.class);

    private final boolean allowAnonymous;
    private final Path passwordFile;
    private volatile PasswordFile passwords;

    /** @param passwords null when no password file is configured */
    public Authenticator(boolean allowAnonymous, PasswordFile passwords) {
        this(allowAnonymous, null, passwords);
    }

    private Authenticator(boolean allowAnonymous, Path passwordFile, PasswordFile passwords) {
        this.allowAnonymous = allowAnonymous;
        this.passwordFile = passwordFile;
        this.passwords = passwords;
    }

    /**
     * @param passwordFile null for none
     * @throws org.wrenmq.broker.ConfigException with {@code FILE:LINE: what is wrong}
     */
    public static Authenticator load(boolean allowAnonymous, Path passwordFile) {
        return new Authenticator(allowAnonymous, passwordFile,
                passwordFile == null ? null : PasswordFile.read(passwordFile));
    }

    /**
     * Reads the password file again; a file with an error changes nothing.
     *
     * @throws org.wrenmq.broker.ConfigException with {@code FILE:LINE: what is wrong}
     */
    public void reload() {
        if (passwordFile != null) {
            passwords = PasswordFile.read(passwordFile);
            LOG.info("password_file {} reloaded", passwordFile);
        }
    }

    public Result check(String userName, byte[] password) {
        PasswordFile p = passwords;
        if (userName == null || p == null) {
            return allowAnonymous ? Result.ACCEPTED : Result.NOT_AUTHORIZED;
        }
        return p.verify(userName, password) ? Result.ACCEPTED : Result.BAD_USER_NAME_OR_PASSWORD;
    }
}
