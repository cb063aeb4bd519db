package org.wrenmq.it.appserver;

import org.jboss.arquillian.container.test.api.Deployment;
import org.jboss.arquillian.container.test.api.TargetsContainer;
import org.jboss.shrinkwrap.api.spec.WebArchive;
import org.junit.jupiter.api.condition.DisabledIfSystemProperty;

/**
 * The contract, CDI included, in GlassFish 8 (on Java 25) with its embedded broker. The domain is started and the
 * adapter deployed by the commands of docs/jakarta-ee/glassfish.md (launcher.AsadminServers); Arquillian deploys
 * the application, which binds each message-driven bean to the adapter in {@code glassfish-ejb-jar.xml}, as the
 * page says.
 *
 * <p>Runs in the build's {@code asadmin} run, and inside the server, where the property is not set.
 */
@DisabledIfSystemProperty(named = "arquillian.launch", matches = "(?!asadmin$).*")
class GlassFish8IT extends CdiContract {

    @Deployment(name = APP)
    @TargetsContainer("glassfish8")
    static WebArchive application() {
        return Deployments.boundForGlassFish(Deployments.applicationWithCdi(
                Integer.getInteger("wrenmq.glassfish8.mqttPort"), GlassFish8IT.class, "wrenmq/ConnectionFactory"));
    }
}
