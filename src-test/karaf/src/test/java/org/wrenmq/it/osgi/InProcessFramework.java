package org.wrenmq.it.osgi;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.ServiceLoader;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Stream;
import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;
import org.osgi.framework.BundleException;
import org.osgi.framework.Constants;
import org.osgi.framework.launch.Framework;
import org.osgi.framework.launch.FrameworkFactory;
import org.osgi.util.tracker.ServiceTracker;

/**
 * An OSGi framework (Felix) started inside the test's JVM with every bundle of a directory installed and started:
 * SCR, Config Admin, the broker and its libraries. The system bundle exports the API (and the log API) from the
 * test's class path, so test code and bundles share those classes.
 */
final class InProcessFramework implements AutoCloseable {

    /** Packages the test class path gives the bundles. sun.misc is Netty's optional import. */
    private static final String SYSTEM_PACKAGES_EXTRA = String.join(",",
            "org.wrenmq.api;version=\"1.2.0\"",
            "org.osgi.service.cm;version=\"1.6.1\"",
            "org.slf4j;version=\"2.0.16\"",
            "org.slf4j.event;version=\"2.0.16\"",
            "org.slf4j.helpers;version=\"2.0.16\"",
            "org.slf4j.spi;version=\"2.0.16\"",
            "sun.misc");
    private static final long STOP_TIMEOUT_MILLIS = 20_000;

    private final Framework framework;
    private final Map<Class<?>, ServiceTracker<?, ?>> trackers = new ConcurrentHashMap<>();

    private InProcessFramework(Framework framework) {
        this.framework = framework;
    }

    static InProcessFramework start(Path bundleDirectory, Path storage) throws BundleException, IOException {
        FrameworkFactory factory = ServiceLoader.load(FrameworkFactory.class).findFirst().orElseThrow();
        Framework framework = factory.newFramework(Map.of(
                Constants.FRAMEWORK_STORAGE, storage.toString(),
                Constants.FRAMEWORK_STORAGE_CLEAN, Constants.FRAMEWORK_STORAGE_CLEAN_ONFIRSTINIT,
                Constants.FRAMEWORK_SYSTEMPACKAGES_EXTRA, SYSTEM_PACKAGES_EXTRA));
        framework.start();
        InProcessFramework started = new InProcessFramework(framework);
        try {
            started.installAndStart(bundleDirectory);
        } catch (BundleException | IOException | RuntimeException e) {
            started.close();
            throw e;
        }
        return started;
    }

    private void installAndStart(Path bundleDirectory) throws BundleException, IOException {
        BundleContext context = framework.getBundleContext();
        List<Bundle> installed = new ArrayList<>();
        try (Stream<Path> jars = Files.list(bundleDirectory)) {
            for (Path jar : jars.filter(p -> p.toString().endsWith(".jar")).sorted().toList()) {
                installed.add(context.installBundle(jar.toUri().toString()));
            }
        }
        for (Bundle bundle : installed) {
            if (bundle.getHeaders().get(Constants.FRAGMENT_HOST) == null) {
                bundle.start();
            }
        }
    }

    BundleContext context() {
        return framework.getBundleContext();
    }

    Bundle bundle(String symbolicName) {
        return Stream.of(context().getBundles()).filter(b -> symbolicName.equals(b.getSymbolicName())).findFirst()
                .orElseThrow(() -> new AssertionError("no bundle " + symbolicName));
    }

    /**
     * Waits for a service and returns the one registered now (tests ask again after a restart). The trackers stay
     * open: closing one would release the service, and some (Config Admin) are invalid once released.
     */
    <T> T service(Class<T> type, Duration timeout) throws InterruptedException {
        @SuppressWarnings("unchecked")
        ServiceTracker<T, T> tracker = (ServiceTracker<T, T>) trackers.computeIfAbsent(type, t -> {
            ServiceTracker<T, T> opened = new ServiceTracker<>(context(), type, null);
            opened.open();
            return opened;
        });
        T service = tracker.waitForService(timeout.toMillis());
        if (service == null) {
            throw new AssertionError("no " + type.getSimpleName() + " service after " + timeout);
        }
        return service;
    }

    @Override
    public void close() {
        try {
            framework.stop();
            framework.waitForStop(STOP_TIMEOUT_MILLIS);
        } catch (BundleException e) {
            throw new IllegalStateException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
