package org.wrenmq.cdi;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Default;
import jakarta.enterprise.inject.Instance;
import jakarta.enterprise.inject.Produces;
import jakarta.enterprise.inject.spi.InjectionPoint;
import jakarta.json.bind.Jsonb;
import javax.naming.InitialContext;
import javax.naming.NamingException;
import org.wrenmq.api.MqttPublisher;
import org.wrenmq.api.jca.MqttConnectionFactory;

/**
 * Produces {@code @Inject MqttPublisher} (the factory {@value MqttFactory#DEFAULT}) and
 * {@code @Inject @MqttFactory("name") MqttPublisher}. The factory is looked up when the bean that injects it is
 * made, in that bean's naming context, so an unknown name fails the injection with the name in the message.
 */
@ApplicationScoped
public class MqttPublishers {

    static final String COMPONENT_ENVIRONMENT = "java:comp/env/";

    @Produces
    @Default
    MqttPublisher defaultPublisher(Instance<Jsonb> jsonb) {
        return publisher(MqttFactory.DEFAULT, jsonb);
    }

    @Produces
    @MqttFactory
    MqttPublisher namedPublisher(InjectionPoint injectionPoint, Instance<Jsonb> jsonb) {
        String name = injectionPoint.getQualifiers().stream().filter(MqttFactory.class::isInstance)
                .map(q -> ((MqttFactory) q).value()).findFirst().orElse(MqttFactory.DEFAULT);
        return publisher(name, jsonb);
    }

    private static MqttPublisher publisher(String name, Instance<Jsonb> jsonb) {
        String jndiName = jndiName(name);
        return new FactoryPublisher(lookup(jndiName), jndiName, jsonb.isResolvable() ? jsonb.get() : null);
    }

    /** A resource reference of the application unless the name is a {@code java:} name already. */
    static String jndiName(String name) {
        return name.startsWith("java:") ? name : COMPONENT_ENVIRONMENT + name;
    }

    private static MqttConnectionFactory lookup(String jndiName) {
        Object found;
        try {
            found = InitialContext.doLookup(jndiName);
        } catch (NamingException e) {
            throw new IllegalStateException("WrenMQ: no MqttConnectionFactory at " + jndiName
                    + " (map it with a resource-ref in web.xml, or name the server's JNDI name): " + e, e);
        }
        if (!(found instanceof MqttConnectionFactory)) {
            throw new IllegalStateException("WrenMQ: " + jndiName + " is a " + found.getClass().getName()
                    + ", not an org.wrenmq.api.jca.MqttConnectionFactory");
        }
        return (MqttConnectionFactory) found;
    }
}
