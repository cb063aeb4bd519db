package org.wrenmq.it.appserver.scripted;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.jboss.shrinkwrap.api.ShrinkWrap;
import org.jboss.shrinkwrap.api.asset.StringAsset;
import org.jboss.shrinkwrap.api.exporter.ZipExporter;
import org.jboss.shrinkwrap.api.spec.WebArchive;
import org.wrenmq.it.appserver.Deployments;
import org.wrenmq.it.appserver.beans.Received;
import org.wrenmq.it.appserver.beans.cdi.CdiShop;
import org.wrenmq.it.appserver.probe.ProbeServlet;

/**
 * The application a user deploys beside the RAR, written to {@code myapp.war} where the pages' commands expect it:
 * the EJBs and message-driven beans of the {@code beans} package, the CDI beans of {@code beans.cdi} with the
 * jca-cdi jar in {@code WEB-INF/lib}, and the probe servlet through which a test outside the server drives them.
 * Nothing of the adapter inside: the server lends it its classes.
 */
public final class TestApplication {

    static final String FILE = "myapp.war";
    static final String CONTEXT_ROOT = "myapp";
    /** The second resource reference, to the same factory: what {@code @MqttFactory("mqtt/second")} names. */
    static final String SECOND = "mqtt/second";

    /** The message-driven beans of the {@code beans} and {@code beans.cdi} packages, by their simple names. */
    static final List<String> MESSAGE_DRIVEN_BEANS = List.of("AlwaysFailingListener", "BasicListener",
            "CdiEvents", "DeadLetterListener", "EchoListener", "FlakyListener", "JsonListener", "LoadListener",
            "RollbackOnceListener");

    private TestApplication() {
    }

    /**
     * Writes the WAR into {@code directory}: {@code mqtt/factory} and {@code mqtt/second} mapped to
     * {@code factoryName}, and each of {@code moreFactories} (reference name to this server's JNDI name).
     */
    static Path writeInto(Path directory, String factoryName, Map<String, String> moreFactories) {
        Path file = directory.resolve(FILE);
        archive(factoryName, moreFactories).as(ZipExporter.class).exportTo(file.toFile(), true);
        return file;
    }

    /** The WAR {@link #writeInto} writes, to add to before writing it. */
    public static WebArchive archive(String factoryName, Map<String, String> moreFactories) {
        StringBuilder references = new StringBuilder(REFERENCE.replace("NAME", "mqtt/factory")
                .replace("FACTORY", factoryName));
        Map<String, String> named = new TreeMap<>(moreFactories);
        named.put(SECOND, factoryName);
        // GlassFish and Payara take Application when no @Resource says otherwise: say Container everywhere
        named.forEach((name, jndiName) -> references.append(REFERENCE.replace("NAME", name)
                .replace("FACTORY", jndiName).replace("</res-type>", "</res-type>\n    <res-auth>Container</res-auth>")));
        return ShrinkWrap.create(WebArchive.class, FILE)
                .addPackage(Received.class.getPackage())
                .addPackage(CdiShop.class.getPackage())
                .addPackage(ProbeServlet.class.getPackage())
                .addAsLibraries(Deployments.cdiJar())
                .addAsWebInfResource(new StringAsset(BEANS_XML), "beans.xml")
                .setWebXML(new StringAsset(WEB_XML.replace("REFERENCES", references)));
    }

    /** The fixed names the beans use, mapped to where this server put the connection factories. */
    private static final String WEB_XML = """
            <?xml version="1.0" encoding="UTF-8"?>
            <web-app xmlns="https://jakarta.ee/xml/ns/jakartaee" version="6.0">
            REFERENCES</web-app>
            """;

    /** Annotated beans only, as CDI 4 does without this file; TomEE 9 (CDI 3) wants it said. */
    private static final String BEANS_XML = """
            <?xml version="1.0" encoding="UTF-8"?>
            <beans xmlns="https://jakarta.ee/xml/ns/jakartaee" version="3.0" bean-discovery-mode="annotated"/>
            """;

    private static final String REFERENCE = """
              <resource-ref>
                <res-ref-name>NAME</res-ref-name>
                <res-type>org.wrenmq.api.jca.MqttConnectionFactory</res-type>
                <lookup-name>FACTORY</lookup-name>
              </resource-ref>
            """;
}
