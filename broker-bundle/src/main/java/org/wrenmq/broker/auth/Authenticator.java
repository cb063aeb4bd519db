package org.wrenmq.broker.auth;

import java.nio.file.Path;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Decides whether a CONNECT's credentials let the client in, as mosquitto does: without a user name the client
 * is anonymous and needs {@code allow_anonymous true}; with one, it must match the {@code password_file} (or the
 * {@link UserDirectory} the broker was given, e.g. a Karaf JAAS realm) when there is one. {@link #reload()} reads
 * the password file again (SIGHUP): connected clients stay, the next CONNECT is checked against the new file.
 */
public final class Authenticator {

    /**
     * Why a client was let in or not. Both refusals are answered "not authorized" (CONNACK 5 / 0x87) as in
     * mosquitto 2; they differ in the log line only.
     */
    public enum Result { ACCEPTED, BAD_USER_NAME_OR_PASSWORD, NOT_AUTHORIZED }

    /** The answer to one CONNECT: the result and, when accepted, the user's roles (none from a password file). */
    public record Login(Result result, Set<String> roles) {
        static final Login REFUSED_ANONYMOUS = new Login(Result.NOT_AUTHORIZED, Set.of());
        static final Login BAD_CREDENTIALS = new Login(Result.BAD_USER_NAME_OR_PASSWORD, Set.of());
        /** Accepted, no roles: a password file's user, an anonymous client, a certificate's name. */
        public static final Login WITHOUT_ROLES = new Login(Result.ACCEPTED, Set.of());
    }

    private static final Logger LOG = LoggerFactory.getLogger(Authenticator.class);

    private final boolean allowAnonymous;
    private final Path passwordFile;
    private volatile UserDirectory users;

    /** @param passwords null when no password file is configured */
    public Authenticator(boolean allowAnonymous, PasswordFile passwords) {
        this(allowAnonymous, null, passwords == null ? null : fileDirectory(passwords, null));
    }

    private Authenticator(boolean allowAnonymous, Path passwordFile, UserDirectory users) {
        this.allowAnonymous = allowAnonymous;
        this.passwordFile = passwordFile;
        this.users = users;
    }

    /**
     * @param passwordFile null for none
     * @throws org.wrenmq.broker.ConfigException with {@code FILE:LINE: what is wrong}
     */
    public static Authenticator load(boolean allowAnonymous, Path passwordFile) {
        return new Authenticator(allowAnonymous, passwordFile,
                passwordFile == null ? null : fileDirectory(PasswordFile.read(passwordFile), passwordFile));
    }

    /** Users checked by {@code users} (a container's realm) instead of a password file. */
    public static Authenticator of(boolean allowAnonymous, UserDirectory users) {
        LOG.info("MQTT users are checked against {}", users.describe());
        return new Authenticator(allowAnonymous, null, users);
    }

    /**
     * Reads the password file again; a file with an error changes nothing.
     *
     * @throws org.wrenmq.broker.ConfigException with {@code FILE:LINE: what is wrong}
     */
    public void reload() {
        if (passwordFile != null) {
            users = fileDirectory(PasswordFile.read(passwordFile), passwordFile);
            LOG.info("password_file {} reloaded", passwordFile);
        }
    }

    public Result check(String userName, byte[] password) {
        return login(userName, password).result();
    }

    /** @param userName null for an anonymous client */
    public Login login(String userName, byte[] password) {
        UserDirectory u = users;
        if (userName == null || u == null) {
            return allowAnonymous ? Login.WITHOUT_ROLES : Login.REFUSED_ANONYMOUS;
        }
        Set<String> roles = u.login(userName, password);
        return roles == null ? Login.BAD_CREDENTIALS
                : roles.isEmpty() ? Login.WITHOUT_ROLES : new Login(Result.ACCEPTED, Set.copyOf(roles));
    }

    private static UserDirectory fileDirectory(PasswordFile passwords, Path file) {
        return new UserDirectory() {
            @Override
            public Set<String> login(String userName, byte[] password) {
                return passwords.verify(userName, password) ? Set.of() : null;
            }

            @Override
            public String describe() {
                return "password_file " + file;
            }
        };
    }
}
