package org.wrenmq.broker.standalone;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.wrenmq.broker.Broker;

/**
 * {@code kill -HUP PID} makes the standalone broker read its password file, acl file (and whatever else registered
 * with {@link Broker#addReloadable}) again, as mosquitto does; connections stay. Uses {@code sun.misc.Signal},
 * the JDK's only way to catch a signal; where it is missing the broker runs without it.
 */
final class ReloadOnHangup {
    private static final Logger LOG = LoggerFactory.getLogger(ReloadOnHangup.class);

    private ReloadOnHangup() {
    }

    static void install(Broker broker) {
        try {
            sun.misc.Signal.handle(new sun.misc.Signal("HUP"), signal -> {
                LOG.info("SIGHUP: reloading password_file and acl_file");
                broker.reload();
            });
        } catch (IllegalArgumentException | LinkageError e) {
            LOG.warn("SIGHUP cannot be caught here ({}); reload needs a restart", e.toString());
        }
    }
}
