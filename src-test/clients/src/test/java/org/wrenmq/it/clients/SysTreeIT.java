package org.wrenmq.it.clients;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.net.InetAddress;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.wrenmq.it.support.ClientProcess;

/**
 * The {@code $SYS/broker/...} topics mosquitto's sys_tree.c has and WrenMQ added last ({@code publish/bytes/*},
 * {@code store/messages/bytes}, {@code load/sockets/*} apart from {@code load/connections/*}), read by Debian's
 * mosquitto_sub from a {@code ./wrenmq} that mosquitto_pub sent known payloads to.
 */
@DisplayName("$SYS/broker read by mosquitto_sub")
class SysTreeIT {
    private static final int QUEUED = 4;
    private static final int QUEUED_PAYLOAD = 1000;

    @TempDir
    Path dir;

    @RegisterExtension
    final Launched launched = new Launched();
    private final int port = Launched.freePort();


    @Test
    @DisplayName("publish/bytes, store/messages/bytes and load/sockets count what mosquitto counts there")
    void payloadBytesStoreBytesAndSockets() throws Exception {
        Files.write(dir.resolve("wrenmq.conf"), List.of("listener " + port + " 127.0.0.1", "allow_anonymous true",
                "persistence_location " + dir.resolve("data"), "sys_interval 1"));
        Launched.awaitListening(launched.wrenmq(dir, "-c", dir.resolve("wrenmq.conf").toString()));
        ClientProcess watcher = launched.run(dir, "stdbuf", "-oL", "mosquitto_sub", "-p", String.valueOf(port),
                "-v", "-t", "$SYS/broker/publish/bytes/+", "-t", "$SYS/broker/store/messages/bytes",
                "-t", "$SYS/broker/connections/+", "-t", "$SYS/broker/load/sockets/1min",
                "-t", "$SYS/broker/load/connections/1min");
        // an offline persistent session, then payloads it queues: 4 x 1000 bytes
        launched.run(dir, "mosquitto_sub", "-p", String.valueOf(port), "-i", "away", "-c", "-q", "1", "-t", "q/#",
                "-E").awaitSuccess();
        launched.run(dir, "mosquitto_pub", "-p", String.valueOf(port), "-q", "1", "-t", "q/x",
                "-m", "x".repeat(QUEUED_PAYLOAD), "--repeat", String.valueOf(QUEUED)).awaitSuccess();
        // two sockets that never send CONNECT: load/sockets counts them, load/connections does not
        for (int i = 0; i < 2; i++) {
            new Socket(InetAddress.getLoopbackAddress(), port).close();
        }

        long received = (long) QUEUED * QUEUED_PAYLOAD;
        await().atMost(ClientProcess.PATIENCE).pollInterval(Duration.ofMillis(200)).untilAsserted(() -> {
            Map<String, String> sys = latest(watcher);
            assertThat(sys).containsEntry("publish/bytes/received", String.valueOf(received))
                    .containsEntry("connections/connect_packets", "3")
                    .containsEntry("connections/accepted", "5");
            // plus the retained $SYS values themselves, a few hundred bytes
            assertThat(Long.parseLong(sys.get("store/messages/bytes"))).isBetween(received, received + 8192);
            assertThat(Double.parseDouble(sys.get("load/sockets/1min")))
                    .isGreaterThan(Double.parseDouble(sys.get("load/connections/1min")));
        });
        long sentBefore = Long.parseLong(latest(watcher).get("publish/bytes/sent"));

        // the session comes back and takes its messages: the store holds their bytes no more
        launched.run(dir, "mosquitto_sub", "-p", String.valueOf(port), "-i", "away", "-c", "-q", "1", "-t", "q/#",
                "-C", String.valueOf(QUEUED)).awaitSuccess();
        await().atMost(ClientProcess.PATIENCE).pollInterval(Duration.ofMillis(200)).untilAsserted(() -> {
            Map<String, String> sys = latest(watcher);
            assertThat(Long.parseLong(sys.get("store/messages/bytes"))).isLessThan(QUEUED_PAYLOAD);
            assertThat(Long.parseLong(sys.get("publish/bytes/sent"))).isGreaterThanOrEqualTo(sentBefore + received);
        });
    }

    /** The last value mosquitto_sub -v printed for each topic, under its name below {@code $SYS/broker/}. */
    private static Map<String, String> latest(ClientProcess watcher) {
        Map<String, String> values = new HashMap<>();
        for (String line : watcher.lines()) {
            int space = line.lastIndexOf(' ');
            values.put(line.substring(0, space).substring("$SYS/broker/".length()), line.substring(space + 1));
        }
        return values;
    }
}
