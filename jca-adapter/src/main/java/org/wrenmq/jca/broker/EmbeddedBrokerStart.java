package org.wrenmq.jca.broker;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.reflect.InvocationTargetException;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.URL;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.CodeSource;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Starts the embedded broker, in a class loader of its own when the server's Hazelcast would come before the RAR's.
 *
 * <p>Payara puts its own Hazelcast (its Data Grid, another version) on every deployment's class path ahead of the
 * RAR's jars: a cluster node built from those classes cannot start, and relocating the RAR's copy is no way out
 * (Hazelcast puts its class names on the wire). So where the {@code Hazelcast} class the adapter sees is not the
 * RAR's, a clustered broker is loaded child first from the jars beside the broker's ({@link BrokerClassLoader});
 * everywhere else nothing changes.
 */
public final class EmbeddedBrokerStart {

    private static final Logger LOG = LoggerFactory.getLogger(EmbeddedBrokerStart.class);
    private static final String HAZELCAST = "com.hazelcast.core.Hazelcast";
    private static final String BROKER = "org/wrenmq/broker/Broker.class";

    /** One per RAR, as the broker registry in it: adapters with the same settings share their broker. */
    private static BrokerClassLoader isolated;

    private EmbeddedBrokerStart() {
    }

    /**
     * @param clustered whether the settings (or the config file) name a cluster: only then is Hazelcast loaded
     * @see EmbeddedBrokerAccess#start(Map, Path, Credentials)
     */
    public static BrokerAccess start(Map<String, String> settings, Path configFile, Credentials credentials,
                                     boolean clustered) {
        ClassLoader adapterLoader = EmbeddedBrokerStart.class.getClassLoader();
        Optional<Path> rarJars = clustered ? rarJarsIfHazelcastIsForeign(adapterLoader) : Optional.empty();
        if (rarJars.isEmpty()) {
            return EmbeddedBrokerAccess.start(settings, configFile, credentials);
        }
        LOG.info("WRENMQ-JCA-004 the server's own Hazelcast ({}) comes before the adapter's: the embedded broker "
                + "runs in a class loader of its own, from the jars in {}",
                hazelcastLocation(adapterLoader).orElseThrow(), rarJars.get());
        return startIsolated(loader(rarJars.get(), adapterLoader), settings, configFile, credentials);
    }

    /** The folder of the RAR's jars, when the adapter's loader finds a Hazelcast that is not among them. */
    static Optional<Path> rarJarsIfHazelcastIsForeign(ClassLoader adapterLoader) {
        URL broker = adapterLoader.getResource(BROKER);
        Optional<Path> rarJars = broker == null || !"jar".equals(broker.getProtocol()) ? Optional.empty()
                : folderOf(broker.getPath().substring(0, broker.getPath().indexOf("!/")));
        if (rarJars.isEmpty()) {
            return Optional.empty();
        }
        Optional<String> hazelcast = hazelcastLocation(adapterLoader);
        if (hazelcast.isEmpty() || folderOf(hazelcast.get()).equals(rarJars)) {
            return Optional.empty();
        }
        return rarJars;
    }

    /** Where the Hazelcast the adapter sees comes from; empty when it sees none. */
    private static Optional<String> hazelcastLocation(ClassLoader adapterLoader) {
        try {
            CodeSource source = Class.forName(HAZELCAST, false, adapterLoader).getProtectionDomain().getCodeSource();
            return Optional.of(source == null || source.getLocation() == null ? "no code source"
                    : source.getLocation().toString());
        } catch (ClassNotFoundException | LinkageError e) {
            return Optional.empty();
        }
    }

    /** The folder of a {@code file:} jar; empty for other locations (WildFly's vfs:, an OSGi bundle's). */
    private static Optional<Path> folderOf(String jarLocation) {
        try {
            URI jar = new URI(jarLocation);
            return "file".equals(jar.getScheme()) ? Optional.of(Path.of(jar).getParent()) : Optional.empty();
        } catch (URISyntaxException | IllegalArgumentException e) {
            return Optional.empty();
        }
    }

    private static synchronized BrokerClassLoader loader(Path rarJars, ClassLoader adapterLoader) {
        if (isolated == null) {
            try (Stream<Path> files = Files.list(rarJars)) {
                URL[] jars = files.filter(f -> f.toString().endsWith(".jar")).sorted().map(EmbeddedBrokerStart::url)
                        .toArray(URL[]::new);
                isolated = new BrokerClassLoader(jars, adapterLoader);
            } catch (IOException e) {
                throw new UncheckedIOException("cannot list the adapter's jars in " + rarJars, e);
            }
        }
        return isolated;
    }

    private static URL url(Path jar) {
        try {
            return jar.toUri().toURL();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Hazelcast and Netty take the starting thread's context loader for their own threads: this one's. */
    private static BrokerAccess startIsolated(BrokerClassLoader loader, Map<String, String> settings,
                                              Path configFile, Credentials credentials) {
        Thread thread = Thread.currentThread();
        ClassLoader previous = thread.getContextClassLoader();
        thread.setContextClassLoader(loader);
        try {
            return (BrokerAccess) Class.forName(BrokerClassLoader.BROKER_ACCESS, true, loader)
                    .getMethod("start", Map.class, Path.class, Credentials.class)
                    .invoke(null, settings, configFile, credentials);
        } catch (InvocationTargetException e) {
            if (e.getCause() instanceof RuntimeException r) {
                throw r;
            }
            if (e.getCause() instanceof Error err) {
                throw err;
            }
            throw new IllegalStateException(e.getCause());
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException("cannot load the embedded broker from the adapter's jars: " + e, e);
        } finally {
            thread.setContextClassLoader(previous);
        }
    }
}
