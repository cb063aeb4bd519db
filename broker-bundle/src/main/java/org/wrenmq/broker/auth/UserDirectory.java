package org.wrenmq.broker.auth;

import java.util.Set;

/**
 * Where user names and passwords are checked when it is not a password_file: a container's users (Karaf's JAAS
 * realm). Called on the connection's event loop at each CONNECT with a user name, so it must answer quickly.
 */
public interface UserDirectory {

    /**
     * @param password as the client sent it, or null when it sent none
     * @return the user's roles (or groups) when the password is right, perhaps empty; null when it is not or the
     *         user is unknown
     */
    Set<String> login(String userName, byte[] password);

    /** What the log calls this directory, e.g. {@code JAAS realm 'karaf'}. */
    String describe();
}
