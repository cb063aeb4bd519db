package org.wrenmq.broker.osgi;

import java.nio.charset.StandardCharsets;
import java.security.Principal;
import java.util.LinkedHashSet;
import java.util.Set;
import javax.security.auth.Subject;
import javax.security.auth.callback.Callback;
import javax.security.auth.callback.NameCallback;
import javax.security.auth.callback.PasswordCallback;
import javax.security.auth.callback.UnsupportedCallbackException;
import javax.security.auth.login.Configuration;
import javax.security.auth.login.LoginContext;
import javax.security.auth.login.LoginException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.wrenmq.broker.auth.UserDirectory;

/**
 * MQTT users checked against a JAAS realm of the container ({@code jaas_realm = karaf}: Karaf's
 * {@code etc/users.properties} unless the realm was changed). The realm's role and group principals (Karaf's
 * {@code RolePrincipal} and {@code GroupPrincipal}, found by class name so this bundle needs no Karaf package) are
 * the user's roles, which select the acl_file's {@code role} blocks.
 */
final class JaasUserDirectory implements UserDirectory {
    private static final Logger LOG = LoggerFactory.getLogger(JaasUserDirectory.class);

    private final String realm;

    JaasUserDirectory(String realm) {
        this.realm = realm;
        if (Configuration.getConfiguration().getAppConfigurationEntry(realm) == null) {
            LOG.warn("jaas_realm '{}': no such JAAS realm (yet); every MQTT login will be refused until it exists",
                    realm);
        }
    }

    @Override
    public Set<String> login(String userName, byte[] password) {
        char[] secret = password == null ? new char[0] : new String(password, StandardCharsets.UTF_8).toCharArray();
        Thread thread = Thread.currentThread();
        ClassLoader previous = thread.getContextClassLoader();
        // LoginContext loads the realm's login modules through the context class loader; on a Netty thread it may
        // be anything, so give it this bundle's (Karaf delegates its JAAS boot packages to the system loader).
        thread.setContextClassLoader(JaasUserDirectory.class.getClassLoader());
        try {
            LoginContext context = new LoginContext(realm, callbacks -> answer(callbacks, userName, secret));
            context.login();
            Set<String> roles = roles(context.getSubject());
            context.logout();
            return roles;
        } catch (LoginException refused) {
            LOG.debug("JAAS realm '{}' refused user '{}': {}", realm, userName, refused.getMessage());
            return null;
        } finally {
            thread.setContextClassLoader(previous);
            java.util.Arrays.fill(secret, '\0');
        }
    }

    @Override
    public String describe() {
        return "JAAS realm '" + realm + "'";
    }

    private static void answer(Callback[] callbacks, String userName, char[] password)
            throws UnsupportedCallbackException {
        for (Callback callback : callbacks) {
            if (callback instanceof NameCallback name) {
                name.setName(userName);
            } else if (callback instanceof PasswordCallback secret) {
                secret.setPassword(password);
            } else {
                throw new UnsupportedCallbackException(callback, "WrenMQ has a user name and a password only");
            }
        }
    }

    /** The names of the role and group principals: what users.properties lists after the password. */
    static Set<String> roles(Subject subject) {
        Set<String> roles = new LinkedHashSet<>();
        for (Principal p : subject.getPrincipals()) {
            String kind = p.getClass().getSimpleName();
            if (kind.endsWith("RolePrincipal") || kind.endsWith("GroupPrincipal")) {
                roles.add(p.getName());
            }
        }
        return roles;
    }
}
