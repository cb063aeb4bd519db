package org.wrenmq.it.appserver;

import java.util.Map;
import org.jboss.arquillian.container.test.api.Deployment;
import org.jboss.shrinkwrap.api.spec.ResourceAdapterArchive;
import org.jboss.shrinkwrap.api.spec.WebArchive;
import org.junit.jupiter.api.condition.DisabledIfSystemProperty;
import org.wrenmq.it.support.Ports;

/**
 * The adapter's default: a WrenMQ broker inside WildFly, also listening on a free port of 127.0.0.1; the
 * application injects publishers with CDI too.
 *
 * <p>Runs in the build's {@code wildfly} run, and inside the server, where the property is not set.
 */
@DisabledIfSystemProperty(named = "arquillian.launch", matches = "(?!wildfly$).*")
class EmbeddedBrokerIT extends CdiContract {

    private static int port;

    private static synchronized int port() {
        if (port == 0) {
            port = Ports.free();
        }
        return port;
    }

    @Deployment(name = "adapter", order = 1, testable = false)
    static ResourceAdapterArchive adapter() {
        return Deployments.adapter(Map.of("port", Integer.toString(port()), "bindAddress", "127.0.0.1",
                "persistence", "false", "allowAnonymous", "true"));
    }

    @Deployment(name = APP, order = 2)
    static WebArchive application() {
        return Deployments.applicationWithCdi(port(), EmbeddedBrokerIT.class, "java:/wrenmq/ConnectionFactory");
    }
}
