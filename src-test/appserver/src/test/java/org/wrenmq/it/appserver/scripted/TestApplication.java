package org.wrenmq.it.appserver.scripted;

import java.nio.file.Path;
import java.util.List;
import org.jboss.shrinkwrap.api.ShrinkWrap;
import org.jboss.shrinkwrap.api.asset.StringAsset;
import org.jboss.shrinkwrap.api.exporter.ZipExporter;
import org.jboss.shrinkwrap.api.spec.WebArchive;
import org.wrenmq.it.appserver.beans.Received;
import org.wrenmq.it.appserver.probe.ProbeServlet;

/**
 * The application a user deploys beside the RAR, written to {@code myapp.war} where the pages' commands expect it:
 * the EJBs and message-driven beans of the {@code beans} package, and the probe servlet through which a test
 * outside the server drives them. Nothing of the adapter inside: the server lends it its classes.
 */
final class TestApplication {

    static final String FILE = "myapp.war";
    static final String CONTEXT_ROOT = "myapp";

    /** The message-driven beans of the {@code beans} package, by their simple names. */
    static final List<String> MESSAGE_DRIVEN_BEANS = List.of("AlwaysFailingListener", "BasicListener",
            "DeadLetterListener", "EchoListener", "FlakyListener", "JsonListener", "LoadListener",
            "RollbackOnceListener");

    private TestApplication() {
    }

    /** Writes the WAR into {@code directory}, its {@code mqtt/factory} mapped to {@code factoryName}. */
    static Path writeInto(Path directory, String factoryName) {
        Path file = directory.resolve(FILE);
        ShrinkWrap.create(WebArchive.class, FILE)
                .addPackage(Received.class.getPackage())
                .addPackage(ProbeServlet.class.getPackage())
                .setWebXML(new StringAsset(WEB_XML.replace("FACTORY", factoryName)))
                .as(ZipExporter.class).exportTo(file.toFile(), true);
        return file;
    }

    /** The fixed name the beans use, mapped to where this server put the connection factory. */
    private static final String WEB_XML = """
            <?xml version="1.0" encoding="UTF-8"?>
            <web-app xmlns="https://jakarta.ee/xml/ns/jakartaee" version="6.0">
              <resource-ref>
                <res-ref-name>mqtt/factory</res-ref-name>
                <res-type>org.wrenmq.api.jca.MqttConnectionFactory</res-type>
                <lookup-name>FACTORY</lookup-name>
              </resource-ref>
            </web-app>
            """;
}
