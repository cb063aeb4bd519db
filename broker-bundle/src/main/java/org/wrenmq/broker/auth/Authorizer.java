package org.wrenmq.broker.auth;

import java.nio.file.Path;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.wrenmq.broker.metrics.BrokerMetrics;

/**
 * Who may publish, subscribe and receive what: the {@code acl_file} (mosquitto syntax and semantics, see
 * {@link AclFile} and {@link ClientRules}). Without an acl_file every client may do everything. Each connection
 * gets a {@link ClientAccess} for its client id and user name; the handlers ask it at SUBSCRIBE, PUBLISH and
 * delivery. {@link #reload()} swaps the rules in one step: the clients' compiled rules follow at their next check.
 */
public final class Authorizer {
    private static final Logger LOG = LoggerFactory.getLogger(Authorizer.class);

    private final Path aclFile;
    private final BrokerMetrics metrics;
    private volatile AclRules rules;

    private Authorizer(Path aclFile, AclRules rules, BrokerMetrics metrics) {
        this.aclFile = aclFile;
        this.rules = rules;
        this.metrics = metrics;
    }

    /**
     * @param aclFile null for none: everything is allowed
     * @throws org.wrenmq.broker.ConfigException with {@code FILE:LINE: what is wrong}
     */
    public static Authorizer load(Path aclFile, BrokerMetrics metrics) {
        AclRules rules = aclFile == null ? null : AclFile.read(aclFile);
        if (rules != null) {
            LOG.info("acl_file {}: {} users, {} roles; what it does not grant is denied", aclFile, rules.userCount(),
                    rules.roleCount());
        }
        return new Authorizer(aclFile, rules, metrics);
    }

    /**
     * Reads the acl_file again. A file with an error changes nothing.
     *
     * @throws org.wrenmq.broker.ConfigException with {@code FILE:LINE: what is wrong}
     */
    public void reload() {
        if (aclFile != null) {
            AclRules fresh = AclFile.read(aclFile);
            rules = fresh;
            LOG.info("acl_file {} reloaded ({} users, {} roles)", aclFile, fresh.userCount(), fresh.roleCount());
        }
    }

    /** A client whose authenticator gave no roles (a password_file, a certificate). */
    public ClientAccess access(String clientId, String userName) {
        return access(clientId, userName, Set.of());
    }

    /**
     * @param userName null for an anonymous client
     * @param roles the roles the authenticator found for the user (their {@code role} blocks apply); fixed for
     *              the connection, as the user name is
     */
    public ClientAccess access(String clientId, String userName, Set<String> roles) {
        return aclFile == null ? ClientAccess.UNCHECKED : new ClientAccess(this, clientId, userName, roles);
    }

    AclRules rules() {
        return rules;
    }

    BrokerMetrics metrics() {
        return metrics;
    }
}
