package org.wrenmq.jca.broker;

import static org.assertj.core.api.Assertions.assertThat;

import com.hazelcast.core.Hazelcast;
import java.io.IOException;
import java.io.OutputStream;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Collections;
import java.util.List;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.wrenmq.api.MqttMessage;

/**
 * A server whose own Hazelcast comes before the RAR's (as Payara's does): the adapter notices, and its broker loader
 * takes Hazelcast and its service files from the RAR's jars while sharing the types the adapter hands the broker.
 */
class BrokerClassLoaderTest {

    private static final String SERVICES = "META-INF/services/com.hazelcast.DataSerializerHook";

    @TempDir
    Path dir;

    @Test
    void theRarsHazelcastComesBeforeTheServersWhileSharedTypesComeFromTheAdapter() throws Exception {
        URL rarHazelcast = copyOfHazelcast(dir.resolve("rar")).toUri().toURL();
        // the test's class path plays the server with its own Hazelcast and the adapter's shared types
        ClassLoader adapterLoader = getClass().getClassLoader();
        try (BrokerClassLoader loader = new BrokerClassLoader(new URL[] {rarHazelcast},
                adapterLoader)) {
            Class<?> hazelcast = loader.loadClass(Hazelcast.class.getName());
            assertThat(hazelcast).isNotSameAs(Hazelcast.class);
            assertThat(hazelcast.getClassLoader()).isSameAs(loader);
            assertThat(loader.loadClass(MqttMessage.class.getName())).isSameAs(MqttMessage.class);
            assertThat(loader.loadClass(BrokerAccess.class.getName())).isSameAs(BrokerAccess.class);
            assertThat(loader.loadClass(String.class.getName())).isSameAs(String.class);

            List<URL> services = Collections.list(loader.getResources(SERVICES));
            assertThat(services).as("Hazelcast's service files, the RAR's only").hasSize(1);
            assertThat(services.get(0).toString()).contains(rarHazelcast.toString());
            assertThat(Collections.list(adapterLoader.getResources(SERVICES))).as("the server's, not the RAR's")
                    .noneMatch(u -> u.toString().contains(rarHazelcast.toString()));
        }
    }

    @Test
    void aHazelcastFromOutsideTheRarsFolderIsForeign() throws Exception {
        Path rar = Files.createDirectories(dir.resolve("rar"));
        URL[] rarJars = {brokerJar(rar).toUri().toURL(), copyOfHazelcast(rar).toUri().toURL()};
        URL serverHazelcast = copyOfHazelcast(dir.resolve("server")).toUri().toURL();

        try (URLClassLoader server = new URLClassLoader(new URL[] {serverHazelcast}, null);
             URLClassLoader serverFirst = new URLClassLoader(rarJars, server);
             URLClassLoader rarOnly = new URLClassLoader(rarJars, null)) {
            assertThat(EmbeddedBrokerStart.rarJarsIfHazelcastIsForeign(serverFirst)).contains(rar);
            assertThat(EmbeddedBrokerStart.rarJarsIfHazelcastIsForeign(rarOnly)).isEmpty();
        }
    }

    private static Path copyOfHazelcast(Path folder) throws Exception {
        Files.createDirectories(folder);
        Path jar = Path.of(Hazelcast.class.getProtectionDomain().getCodeSource().getLocation().toURI());
        return Files.copy(jar, folder.resolve("hazelcast.jar"));
    }

    /** Only the entry the adapter looks for to find the RAR's folder. */
    private static Path brokerJar(Path folder) throws IOException {
        Path jar = folder.resolve("broker-bundle.jar");
        try (OutputStream out = Files.newOutputStream(jar); JarOutputStream entries = new JarOutputStream(out)) {
            entries.putNextEntry(new JarEntry("org/wrenmq/broker/Broker.class"));
            entries.closeEntry();
        }
        return jar;
    }
}
