package org.wrenmq.broker.osgi;

import static org.assertj.core.api.Assertions.assertThat;
import static org.wrenmq.broker.BrokerConfig.DEFAULT_CONNECT_TIMEOUT;
import static org.wrenmq.broker.BrokerConfig.DEFAULT_MAX_PENDING_CONNECTIONS;
import static org.wrenmq.broker.BrokerConfig.DEFAULT_ALLOW_ANONYMOUS;
import static org.wrenmq.broker.BrokerConfig.DEFAULT_IO_THREADS;
import static org.wrenmq.broker.BrokerConfig.DEFAULT_MAX_CONNECTIONS;
import static org.wrenmq.broker.BrokerConfig.DEFAULT_MAX_INFLIGHT_MESSAGES;
import static org.wrenmq.broker.BrokerConfig.DEFAULT_MAX_KEEPALIVE;
import static org.wrenmq.broker.BrokerConfig.DEFAULT_MAX_QOS;
import static org.wrenmq.broker.BrokerConfig.DEFAULT_MAX_QUEUED_BYTES;
import static org.wrenmq.broker.BrokerConfig.DEFAULT_MAX_QUEUED_MESSAGES;
import static org.wrenmq.broker.BrokerConfig.DEFAULT_MAX_QUEUED_MESSAGES_TOTAL;
import static org.wrenmq.broker.BrokerConfig.DEFAULT_MAX_TOPIC_ALIAS;
import static org.wrenmq.broker.BrokerConfig.DEFAULT_MESSAGE_SIZE_LIMIT;
import static org.wrenmq.broker.BrokerConfig.DEFAULT_PERSISTENCE;
import static org.wrenmq.broker.BrokerConfig.DEFAULT_PERSISTENCE_FSYNC;
import static org.wrenmq.broker.BrokerConfig.DEFAULT_PERSISTENCE_LOCATION;
import static org.wrenmq.broker.BrokerConfig.DEFAULT_PERSISTENCE_ON_CORRUPTION;
import static org.wrenmq.broker.BrokerConfig.DEFAULT_PERSISTENCE_SYNC_INTERVAL;
import static org.wrenmq.broker.BrokerConfig.DEFAULT_PORT;
import static org.wrenmq.broker.BrokerConfig.DEFAULT_QUEUE_QOS0_MESSAGES;
import static org.wrenmq.broker.BrokerConfig.DEFAULT_RETAIN_AVAILABLE;
import static org.wrenmq.broker.BrokerConfig.DEFAULT_SYS_INTERVAL;

import java.lang.reflect.Method;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.wrenmq.broker.BrokerConfig;

/**
 * BrokerConfig's constants are the one source of every default: the Karaf metatype and docs/configuration.md
 * must say the same (the resource adapter's are checked in jca-adapter).
 */
@DisplayName("defaults: BrokerConfig = Karaf metatype = docs/configuration.md")
class ConfigDefaultsTests {
    /** Every key with a fixed default, and that default as BrokerConfig defines it. */
    private static final Map<String, String> DEFAULTS = defaults();

    /** A row of the docs' key table: | `key` | `default` more text | ... (no backticks: no fixed default). */
    private static final Pattern ROW = Pattern.compile("^\\| `([a-z0-9_.]+)` \\| (`([^`]*)`)?[^|]*\\|",
            Pattern.MULTILINE);

    private static Map<String, String> defaults() {
        Map<String, String> d = new LinkedHashMap<>();
        d.put("port", str(DEFAULT_PORT));
        d.put("allow_anonymous", str(DEFAULT_ALLOW_ANONYMOUS));
        d.put("max_inflight_messages", str(DEFAULT_MAX_INFLIGHT_MESSAGES));
        d.put("max_queued_messages", str(DEFAULT_MAX_QUEUED_MESSAGES));
        d.put("max_queued_bytes", str(DEFAULT_MAX_QUEUED_BYTES));
        d.put("max_queued_messages_total", str(DEFAULT_MAX_QUEUED_MESSAGES_TOTAL));
        d.put("queue_qos0_messages", str(DEFAULT_QUEUE_QOS0_MESSAGES));
        d.put("message_size_limit", str(DEFAULT_MESSAGE_SIZE_LIMIT));
        d.put("max_connections", str(DEFAULT_MAX_CONNECTIONS));
        d.put("max_keepalive", str(DEFAULT_MAX_KEEPALIVE));
        d.put("max_qos", str(DEFAULT_MAX_QOS));
        d.put("retain_available", str(DEFAULT_RETAIN_AVAILABLE));
        d.put("max_topic_alias", str(DEFAULT_MAX_TOPIC_ALIAS));
        d.put("sys_interval", str(DEFAULT_SYS_INTERVAL));
        d.put("io_threads", str(DEFAULT_IO_THREADS));
        d.put("connect_timeout", str(DEFAULT_CONNECT_TIMEOUT));
        d.put("max_pending_connections", str(DEFAULT_MAX_PENDING_CONNECTIONS));
        d.put("persistence", str(DEFAULT_PERSISTENCE));
        d.put("persistence_location", DEFAULT_PERSISTENCE_LOCATION);
        d.put("persistence_sync_interval", str(DEFAULT_PERSISTENCE_SYNC_INTERVAL));
        d.put("persistence_fsync", str(DEFAULT_PERSISTENCE_FSYNC));
        d.put("persistence_on_corruption", DEFAULT_PERSISTENCE_ON_CORRUPTION);
        d.put("cluster_backup_count", str(org.wrenmq.broker.ClusterConfig.DEFAULT_BACKUP_COUNT));
        d.put("jmx_registration", str(BrokerConfig.DEFAULT_JMX_REGISTRATION));
        d.put("cluster_max_inflight_messages", str(org.wrenmq.broker.ClusterConfig.DEFAULT_MAX_INFLIGHT_MESSAGES));
        return d;
    }

    @Test
    @DisplayName("each default is a value the broker accepts for its key, and means what leaving the key out means")
    void defaultsAreValidValues() {
        BrokerConfig.Builder builder = BrokerConfig.builder();
        DEFAULTS.forEach((key, value) -> {
            if (!key.equals("port") && !key.equals("allow_anonymous")) { // these two leave local-only mode
                builder.set(key, value);
            }
        });
        BrokerConfig explicit = builder.build();
        BrokerConfig plain = BrokerConfig.builder().build();

        assertThat(explicit).usingRecursiveComparison().isEqualTo(plain);
        assertThat(BrokerConfig.builder().set("port", DEFAULTS.get("port")).build().allowAnonymous())
                .as("anonymous once a port is set").isEqualTo(DEFAULT_ALLOW_ANONYMOUS);
    }

    @Test
    @DisplayName("the metatype (config:meta, the web console) gives every key BrokerConfig's default")
    void metatypeDefaultsAreBrokerDefaults() {
        Map<String, String> described = new LinkedHashMap<>();
        for (Method attribute : BrokerConfiguration.class.getDeclaredMethods()) {
            Object value = attribute.getDefaultValue();
            if (value != null) {
                described.put(attribute.getName().replace("__", "_"), str(value));
            }
        }

        assertThat(described.get("persistence")).as("durable by default, as the broker").isEqualTo("true");
        described.forEach((key, value) -> assertThat(value).as("metatype default of %s", key)
                .isEqualTo(DEFAULTS.get(key)));
        assertThat(described.keySet()).as("every key with a fixed default is described")
                .containsExactlyInAnyOrderElementsOf(DEFAULTS.keySet().stream()
                        .filter(key -> !key.equals("persistence_location")).toList());
    }

    @Test
    @DisplayName("docs/configuration.md's key table gives every key BrokerConfig's default")
    void documentedDefaultsAreBrokerDefaults() throws Exception {
        Path page = Path.of(System.getProperty("user.dir")).resolve("../docs/configuration.md");
        Matcher row = ROW.matcher(Files.readString(page));
        Map<String, String> documented = new LinkedHashMap<>();
        while (row.find()) {
            documented.put(row.group(1), row.group(3));
        }

        assertThat(documented.keySet()).as("keys in the docs' table").containsAll(DEFAULTS.keySet());
        documented.forEach((key, value) -> assertThat(value).as("documented default of %s", key)
                .isEqualTo(DEFAULTS.get(key)));
    }

    private static String str(Object value) {
        return String.valueOf(value);
    }
}
