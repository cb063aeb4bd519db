package org.wrenmq.broker;

/**
 * Something the broker reads again on request ({@code kill -HUP} in the standalone broker, {@link Broker#reload()}
 * elsewhere): password and acl files, certificates and keys. A reload that fails keeps what was in force.
 */
@FunctionalInterface
public interface Reloadable {

    /** @throws Exception naming the file (and line) that is wrong; nothing was changed */
    void reload() throws Exception;
}
