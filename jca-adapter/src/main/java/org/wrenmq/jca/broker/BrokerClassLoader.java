package org.wrenmq.jca.broker;

import java.io.IOException;
import java.net.URL;
import java.net.URLClassLoader;
import java.util.Enumeration;
import java.util.List;

/**
 * Loads the embedded broker and everything it ships (Hazelcast, Netty, ...) from the RAR's own jars before asking
 * the server: child first. Only what the adapter and the broker hand each other comes from the adapter's loader
 * (the JDK, Jakarta EE, SLF4J, the WrenMQ API, the adapter's {@link BrokerAccess} types), so both sides agree on
 * those classes while the broker never sees a server's copy of its libraries.
 */
final class BrokerClassLoader extends URLClassLoader {

    static {
        ClassLoader.registerAsParallelCapable();
    }

    /** Loaded from the adapter's loader: the types that cross between the adapter and the broker. */
    private static final List<String> SHARED = List.of("java.", "javax.", "jakarta.", "jdk.", "sun.", "com.sun.",
            "org.slf4j.", "org.wrenmq.api.", "org.wrenmq.jca.");
    /** The adapter's classes that call into the broker: loaded here, so they link to this loader's broker. */
    static final String BROKER_ACCESS = "org.wrenmq.jca.broker.EmbeddedBrokerAccess";
    private static final List<String> BROKER_SIDE = List.of(BROKER_ACCESS, "org.wrenmq.jca.broker.EmbeddedBrokers");

    BrokerClassLoader(URL[] jars, ClassLoader adapterLoader) {
        super("wrenmq-embedded-broker", jars, adapterLoader);
    }

    @Override
    protected Class<?> loadClass(String name, boolean resolve) throws ClassNotFoundException {
        if (isShared(name)) {
            return super.loadClass(name, resolve);
        }
        synchronized (getClassLoadingLock(name)) {
            Class<?> loaded = findLoadedClass(name);
            if (loaded == null) {
                try {
                    loaded = findClass(name);
                } catch (ClassNotFoundException notInTheRar) {
                    // e.g. JSON-B's provider, which the RAR leaves to the server
                    loaded = getParent().loadClass(name);
                }
            }
            if (resolve) {
                resolveClass(loaded);
            }
            return loaded;
        }
    }

    private static boolean isShared(String name) {
        return BROKER_SIDE.stream().noneMatch(name::startsWith) && SHARED.stream().anyMatch(name::startsWith);
    }

    @Override
    public URL getResource(String name) {
        URL own = findResource(name);
        return own != null ? own : getParent().getResource(name);
    }

    /** The RAR's own copies only, when it has any: Hazelcast's service files must name the classes loaded here. */
    @Override
    public Enumeration<URL> getResources(String name) throws IOException {
        Enumeration<URL> own = findResources(name);
        return own.hasMoreElements() ? own : getParent().getResources(name);
    }
}
