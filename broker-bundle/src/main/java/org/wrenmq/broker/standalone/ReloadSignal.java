package org.wrenmq.broker.standalone;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.wrenmq.broker.Broker;

/**
 * {@code kill -HUP PID} makes the standalone broker call {@link Broker#reload()}, as mosquitto re-reads its files
 * on SIGHUP. Uses {@code sun.misc.Signal}, the JDK's only signal API; where it is missing, reload is just not
 * offered.
 */
final class ReloadSignal {
    private static final Logger LOG = LoggerFactory.getLogger(ReloadSignal.class);

    private ReloadSignal() {
    }

    static void install(Broker broker) {
        try {
            sun.misc.Signal.handle(new sun.misc.Signal("HUP"), signal -> {
                LOG.info("SIGHUP: reloading");
                broker.reload();
            });
        } catch (IllegalArgumentException | LinkageError e) {
            LOG.warn("SIGHUP reload not available on this JVM: {}", e.toString());
        }
    }
}
