package org.wrenmq.jca.broker;

import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import org.wrenmq.broker.Broker;
import org.wrenmq.broker.BrokerConfig;

/**
 * The embedded brokers of this class loader, shared by every resource adapter instance with the same settings.
 *
 * <p>Why a static registry, against the house rule: an application server may create several instances of the
 * resource adapter for one RAR (WildFly gives a connection factory defined by annotation or descriptor its own
 * instance), yet a broker owns a port and its store directory, so there can only be one per setting. The RAR's
 * class loader bounds this state: undeploying the adapter stops every broker, and a redeploy starts afresh.
 */
final class EmbeddedBrokers {

    private static final Map<Map<String, String>, Shared> RUNNING = new HashMap<>();

    private EmbeddedBrokers() {
    }

    /** The running broker for these settings, started on first use; each call needs one {@link #release}. */
    static synchronized Broker acquire(Map<String, String> settings, Path configFile) {
        Map<String, String> key = new HashMap<>(settings);
        key.put("#configFile", String.valueOf(configFile));
        Shared shared = RUNNING.get(key);
        if (shared == null) {
            shared = new Shared(key, start(settings, configFile));
            RUNNING.put(key, shared);
        }
        shared.users++;
        return shared.broker;
    }

    static synchronized void release(Broker broker) {
        Shared shared = RUNNING.values().stream().filter(s -> s.broker == broker).findFirst().orElse(null);
        if (shared != null && --shared.users == 0) {
            RUNNING.remove(shared.key);
            broker.close();
        }
    }

    private static Broker start(Map<String, String> settings, Path configFile) {
        Broker.Builder builder = Broker.builder();
        if (configFile != null) {
            if (!settings.isEmpty()) {
                throw new IllegalArgumentException("configFile " + configFile + " is the whole configuration:"
                        + " put " + settings.keySet() + " into it instead of setting them on the adapter");
            }
            builder.config(BrokerConfig.parse(configFile));
        } else {
            settings.forEach(builder::set);
        }
        return builder.build().start();
    }

    private static final class Shared {
        final Map<String, String> key;
        final Broker broker;
        int users;

        Shared(Map<String, String> key, Broker broker) {
            this.key = key;
            this.broker = broker;
        }
    }
}
