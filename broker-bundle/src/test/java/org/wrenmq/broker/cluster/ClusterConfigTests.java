package org.wrenmq.broker.cluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.wrenmq.broker.BrokerConfig;
import org.wrenmq.broker.ClusterConfig;
import org.wrenmq.broker.ConfigException;

/** The cluster keys: defaults, the same names in a file and in a map, and errors that say file and line. */
@DisplayName("cluster configuration")
class ClusterConfigTests {
    @TempDir
    Path dir;

    @Test
    @DisplayName("without cluster_name the broker is a single node")
    void singleNodeByDefault() {
        assertThat(BrokerConfig.builder().build().cluster()).isNull();
    }

    @Test
    @DisplayName("cluster_name alone: member port 5701 on 127.0.0.1, no join list, one backup")
    void defaults() {
        ClusterConfig c = BrokerConfig.builder().set("cluster_name", "plant-7").build().cluster();

        assertThat(c).isEqualTo(new ClusterConfig("plant-7", ClusterConfig.DEFAULT_PORT,
                ClusterConfig.DEFAULT_BIND_ADDRESS, List.of(), ClusterConfig.DEFAULT_BACKUP_COUNT));
        assertThat(c.port()).isEqualTo(5701);
        assertThat(c.backupCount()).isEqualTo(1);
        assertThat(c.maxInflightMessages()).isEqualTo(1_000);
    }

    @Test
    @DisplayName("a config file sets every cluster key")
    void fromFile() throws IOException {
        Path conf = write("cluster_name plant-7\ncluster_listener 5801 10.0.0.5\n"
                + "cluster_members 10.0.0.5:5801, 10.0.0.6:5801,node-c:5801\ncluster_backup_count 2\n"
                + "cluster_max_inflight_messages 500\n");

        assertThat(BrokerConfig.parse(conf).cluster()).isEqualTo(new ClusterConfig("plant-7", 5801, "10.0.0.5",
                List.of("10.0.0.5:5801", "10.0.0.6:5801", "node-c:5801"), 2, 500));
    }

    @Test
    @DisplayName("the same keys arrive from Config Admin or resource adapter properties")
    void fromMap() {
        ClusterConfig c = BrokerConfig.fromMap(Map.of("cluster_name", "plant-7", "cluster_listener", "5801",
                "cluster_members", "127.0.0.1:5801")).cluster();

        assertThat(c.port()).isEqualTo(5801);
        assertThat(c.members()).containsExactly("127.0.0.1:5801");
    }

    @ParameterizedTest(name = "{0} {1}")
    @CsvSource(delimiter = '|', value = {
            "cluster_listener|70000|cluster_listener must be between 1 and 65535, not 70000",
            "cluster_listener|5701 127.0.0.1 extra|cluster_listener takes PORT [ADDRESS]",
            "cluster_members|node-a|cluster_members takes HOST:PORT[,HOST:PORT...], not 'node-a'",
            "cluster_members|node-a:x|cluster_members port must be a whole number, not 'x'",
            "cluster_backup_count|7|cluster_backup_count must be between 0 and 6, not 7",
            "cluster_max_inflight_messages|1|cluster_max_inflight_messages must be between 2 and 100000, not 1",
            "cluster_name|two words|cluster_name takes one word, not 'two words'"})
    @DisplayName("a bad value is refused with FILE:LINE")
    void badValues(String key, String value, String message) throws IOException {
        Path conf = write("cluster_name plant-7\n" + key + " " + value + "\n");

        assertThatThrownBy(() -> BrokerConfig.parse(conf)).isInstanceOf(ConfigException.class)
                .hasMessageStartingWith(conf + ":2: " + message);
    }

    @Test
    @DisplayName("a cluster key without cluster_name is refused with the line of that key")
    void clusterKeyWithoutName() throws IOException {
        Path conf = write("allow_anonymous true\ncluster_members 127.0.0.1:5701\n");

        assertThatThrownBy(() -> BrokerConfig.parse(conf)).isInstanceOf(ConfigException.class)
                .hasMessage(conf + ":2: cluster_members is set but cluster_name is not: cluster_name turns "
                        + "clustering on");
    }

    private Path write(String text) throws IOException {
        Path conf = dir.resolve("wrenmq.conf");
        Files.writeString(conf, text);
        return conf;
    }
}
