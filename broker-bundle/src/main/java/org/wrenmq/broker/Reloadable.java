package org.wrenmq.broker;

/**
 * Something a running broker re-reads from disk on {@link Broker#reload()} ({@code kill -HUP} in the standalone
 * broker): certificates and keys, password and ACL files. A reload that fails keeps what was loaded before.
 */
public interface Reloadable {
    /** @throws Exception when the files cannot be read; the broker logs it and keeps the previous state */
    void reload() throws Exception;
}
