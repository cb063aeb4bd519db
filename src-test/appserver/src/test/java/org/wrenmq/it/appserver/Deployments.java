package org.wrenmq.it.appserver;

import jakarta.ejb.MessageDriven;
import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Comparator;
import java.util.Map;
import org.assertj.core.api.Assertions;
import org.awaitility.Awaitility;
import org.hamcrest.Matcher;
import org.jboss.shrinkwrap.api.ShrinkWrap;
import org.jboss.shrinkwrap.api.asset.StringAsset;
import org.jboss.shrinkwrap.api.importer.ExplodedImporter;
import org.jboss.shrinkwrap.api.importer.ZipImporter;
import org.jboss.shrinkwrap.api.spec.JavaArchive;
import org.jboss.shrinkwrap.api.spec.ResourceAdapterArchive;
import org.jboss.shrinkwrap.api.spec.WebArchive;
import org.wrenmq.cdi.MqttPublishers;
import org.wrenmq.it.appserver.beans.Received;
import org.wrenmq.it.appserver.beans.cdi.CdiShop;
import org.wrenmq.it.appserver.tools.MosquittoClients;
import org.wrenmq.it.support.Ports;

/**
 * The two deployments of every test: the adapter as built ({@code wrenmq.rar}, configured through its
 * {@code ironjacamar.xml}), and an application with EJBs, message-driven beans and the test itself.
 */
public final class Deployments {

    static final String IRONJACAMAR = "META-INF/ironjacamar.xml";

    private Deployments() {
    }

    /** The RAR Maven built, with these resource adapter properties added to its ironjacamar.xml. */
    static ResourceAdapterArchive adapter(Map<String, String> properties) {
        ResourceAdapterArchive rar = ShrinkWrap.createFromZipFile(ResourceAdapterArchive.class,
                new File(System.getProperty("wrenmq.rar")));
        String descriptor = read(rar.get(IRONJACAMAR).getAsset().openStream());
        StringBuilder configured = new StringBuilder();
        properties.forEach((name, value) -> configured.append("\n  <config-property name=\"").append(name)
                .append("\">").append(value).append("</config-property>"));
        int rootEnd = descriptor.indexOf('>', descriptor.indexOf("<ironjacamar")) + 1;
        rar.delete(IRONJACAMAR);
        rar.add(new StringAsset(descriptor.substring(0, rootEnd) + configured + descriptor.substring(rootEnd)),
                IRONJACAMAR);
        return rar;
    }

    /** The test application in WildFly. */
    static WebArchive application(int mqttPort, Class<?> testClass) {
        return application(mqttPort, testClass, "java:/wrenmq/ConnectionFactory");
    }

    /**
     * The test application; {@code mqttPort} is where clients outside the server reach the broker,
     * {@code factoryName} where this server put the connection factory.
     */
    static WebArchive application(int mqttPort, Class<?> testClass, String factoryName) {
        return ShrinkWrap.create(WebArchive.class, "wrenmq-it.war")
                .addPackage(Received.class.getPackage())
                .addPackage(MosquittoClients.class.getPackage())
                .addPackage(Ports.class.getPackage())
                .addClasses(testClass, AdapterContract.class, TestSettings.class)
                .addAsResource(new StringAsset(TestSettings.MQTT_PORT + "=" + mqttPort), TestSettings.RESOURCE)
                .addAsWebInfResource(new StringAsset(JBOSS_EJB3), "jboss-ejb3.xml")
                .setWebXML(new StringAsset(WEB_XML.replace("FACTORY", factoryName)))
                // a separately deployed RAR is visible to an application only when it asks (WildFly)
                .setManifest(new StringAsset("Manifest-Version: 1.0\nDependencies: deployment.wrenmq.rar\n"))
                .addAsLibraries(jarOf(Assertions.class), jarOf(Awaitility.class), jarOf(Matcher.class));
    }

    /**
     * The test application plus what CDI injection needs: the jca-cdi jar in {@code WEB-INF/lib}, the CDI beans,
     * and a second resource reference, {@code mqtt/second}, to the same factory (for the qualifier).
     */
    static WebArchive applicationWithCdi(int mqttPort, Class<?> testClass, String factoryName) {
        WebArchive war = application(mqttPort, testClass, factoryName)
                .addPackage(CdiShop.class.getPackage())
                .addClass(CdiContract.class)
                .addAsLibraries(cdiJar());
        war.delete("WEB-INF/web.xml");
        return war.setWebXML(new StringAsset(WEB_XML.replace("</web-app>", SECOND_REFERENCE + "</web-app>")
                .replace("FACTORY", factoryName)));
    }

    /**
     * Binds every message-driven bean of the application to the adapter deployed as {@code wrenmq}, as GlassFish
     * asks: one {@code <ejb>} per bean in {@code glassfish-ejb-jar.xml} (it has no wildcard).
     */
    static WebArchive boundForGlassFish(WebArchive war) {
        return boundForGlassFish(war, "wrenmq");
    }

    /** The same, to the adapter deployed under {@code adapterName}. */
    public static WebArchive boundForGlassFish(WebArchive war, String adapterName) {
        StringBuilder beans = new StringBuilder();
        war.getContent(path -> path.get().startsWith("/WEB-INF/classes/") && path.get().endsWith(".class"))
                .keySet().stream().map(path -> path.get().substring("/WEB-INF/classes/".length()))
                .map(file -> file.substring(0, file.length() - ".class".length()).replace('/', '.'))
                .map(Deployments::load).filter(type -> type.isAnnotationPresent(MessageDriven.class)).sorted(
                        Comparator.comparing(Class::getSimpleName))
                .forEach(type -> beans.append(GLASSFISH_MDB.replace("NAME", type.getSimpleName())
                        .replace("ADAPTER", adapterName)));
        return war.addAsWebInfResource(new StringAsset(GLASSFISH_EJB_JAR.replace("BEANS", beans)),
                "glassfish-ejb-jar.xml");
    }

    private static Class<?> load(String name) {
        try {
            return Class.forName(name, false, Deployments.class.getClassLoader());
        } catch (ClassNotFoundException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The jca-cdi jar as the build made it (or its classes, when an IDE runs the test). */
    public static JavaArchive cdiJar() {
        File built = jarOf(MqttPublishers.class);
        JavaArchive jar = ShrinkWrap.create(JavaArchive.class, "wrenmq-cdi.jar");
        return built.isDirectory() ? jar.as(ExplodedImporter.class).importDirectory(built).as(JavaArchive.class)
                : jar.as(ZipImporter.class).importFrom(built).as(JavaArchive.class);
    }

    private static File jarOf(Class<?> type) {
        try {
            return new File(type.getProtectionDomain().getCodeSource().getLocation().toURI());
        } catch (java.net.URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }

    private static String read(InputStream in) {
        try (in) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Binds every message-driven bean of the application to the adapter (WildFly; Payara needs nothing). */
    private static final String JBOSS_EJB3 = """
            <?xml version="1.0" encoding="UTF-8"?>
            <jboss xmlns="http://www.jboss.com/xml/ns/javaee" xmlns:jee="http://java.sun.com/xml/ns/javaee"
                   xmlns:mdb="urn:resource-adapter-binding">
              <jee:assembly-descriptor>
                <mdb:resource-adapter-binding>
                  <jee:ejb-name>*</jee:ejb-name>
                  <mdb:resource-adapter-name>wrenmq.rar</mdb:resource-adapter-name>
                </mdb:resource-adapter-binding>
              </jee:assembly-descriptor>
            </jboss>
            """;

    private static final String GLASSFISH_EJB_JAR = """
            <?xml version="1.0" encoding="UTF-8"?>
            <!DOCTYPE glassfish-ejb-jar PUBLIC "-//GlassFish.org//DTD GlassFish Application Server 3.1 EJB 3.1//EN"
                "http://glassfish.org/dtds/glassfish-ejb-jar_3_1-1.dtd">
            <glassfish-ejb-jar>
              <enterprise-beans>
            BEANS  </enterprise-beans>
            </glassfish-ejb-jar>
            """;

    private static final String GLASSFISH_MDB = """
                <ejb>
                  <ejb-name>NAME</ejb-name>
                  <mdb-resource-adapter><resource-adapter-mid>ADAPTER</resource-adapter-mid></mdb-resource-adapter>
                </ejb>
            """;

    private static final String SECOND_REFERENCE = """
              <resource-ref>
                <res-ref-name>mqtt/second</res-ref-name>
                <res-type>org.wrenmq.api.jca.MqttConnectionFactory</res-type>
                <!-- GlassFish and Payara take Application when no @Resource says otherwise -->
                <res-auth>Container</res-auth>
                <lookup-name>FACTORY</lookup-name>
              </resource-ref>
            """;

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
