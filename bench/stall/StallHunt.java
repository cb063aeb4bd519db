import java.io.File;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.eclipse.paho.client.mqttv3.IMqttDeliveryToken;
import org.eclipse.paho.client.mqttv3.MqttCallback;
import org.eclipse.paho.client.mqttv3.MqttClient;
import org.eclipse.paho.client.mqttv3.MqttConnectOptions;
import org.eclipse.paho.client.mqttv3.MqttMessage;
import org.eclipse.paho.client.mqttv3.persist.MemoryPersistence;

/**
 * One cold fan-in as devices do it (Paho clients, one connection each, QoS 0, one PUBLISH per write, 256 B):
 * PUBLISHERS publish MESSAGES each to one subscriber. When the subscriber sees no progress for 2 s before it has
 * everything, the broker's queue gauge, a thread dump and the sockets' queues are saved to OUT_DIR.
 * Exit 0: all arrived; 3: stalled (evidence saved); 4: incomplete without a 2 s stall.
 * Usage: java -cp paho.jar StallHunt.java MQTT_PORT HTTP_PORT BROKER_PID OUT_DIR [PUBLISHERS MESSAGES SECONDS]
 */
public class StallHunt {
    /** No delivery for this long counts as a stall (-DstallMillis, default 2,000). */
    static final long STALL_NANOS = Long.getLong("stallMillis", 2000) * 1_000_000;

    public static void main(String[] a) throws Exception {
        int port = Integer.parseInt(a[0]);
        int httpPort = Integer.parseInt(a[1]);
        long pid = Long.parseLong(a[2]);
        Path out = Path.of(a[3]);
        int publishers = a.length > 4 ? Integer.parseInt(a[4]) : 8;
        int messages = a.length > 5 ? Integer.parseInt(a[5]) : 12_500;
        long budgetMillis = (a.length > 6 ? Long.parseLong(a[6]) : 60) * 1000;
        int total = publishers * messages;
        // -Drate=N: the publishers together publish N messages a second (0: as fast as they can); -DslowMicros=N:
        // the subscriber's callback works N microseconds per message, a subscriber slower than the publishers
        long rate = Long.getLong("rate", 0);
        long slowNanos = Long.getLong("slowMicros", 0) * 1000;
        String uri = "tcp://127.0.0.1:" + port;
        AtomicInteger received = new AtomicInteger();
        AtomicLong latencySum = new AtomicLong();
        AtomicLong lastArrival = new AtomicLong();
        AtomicLong longestGap = new AtomicLong();
        AtomicLong longestGapAt = new AtomicLong();
        long t0 = System.nanoTime();
        MqttClient sub = new MqttClient(uri, "stall-sub", new MemoryPersistence());
        sub.setCallback(new MqttCallback() {
            public void connectionLost(Throwable cause) { System.out.println("subscriber lost: " + cause); }
            public void messageArrived(String topic, MqttMessage m) {
                latencySum.addAndGet(System.nanoTime() - ByteBuffer.wrap(m.getPayload()).getLong(8));
                long now = System.nanoTime();
                long before = lastArrival.getAndSet(now);
                if (before != 0 && now - before > longestGap.get()) {
                    longestGap.set(now - before);
                    longestGapAt.set(received.get());
                }
                received.incrementAndGet();
                for (long until = System.nanoTime() + slowNanos; System.nanoTime() < until; ) {
                    Thread.onSpinWait();
                }
            }
            public void deliveryComplete(IMqttDeliveryToken t) { }
        });
        sub.connect(options());
        sub.subscribe("fanin/+/data", 0);
        List<MqttClient> clients = new ArrayList<>();
        for (int p = 0; p < publishers; p++) {
            MqttClient c = new MqttClient(uri, "stall-pub-" + p, new MemoryPersistence());
            c.connect(options());
            clients.add(c);
        }
        long start = System.nanoTime();
        List<Thread> threads = new ArrayList<>();
        for (int p = 0; p < publishers; p++) {
            int id = p;
            MqttClient c = clients.get(p);
            Thread t = new Thread(() -> {
                try {
                    byte[] payload = new byte[256];
                    long periodNanos = rate == 0 ? 0 : 1_000_000_000L * publishers / rate;
                    long next = System.nanoTime();
                    for (int i = 0; i < messages; i++) {
                        if (periodNanos > 0) {
                            next += periodNanos;
                            long wait = next - System.nanoTime();
                            if (wait > 0) {
                                Thread.sleep(wait / 1_000_000, (int) (wait % 1_000_000));
                            }
                        }
                        ByteBuffer.wrap(payload).putInt(id).putInt(i).putLong(System.nanoTime());
                        c.publish("fanin/" + id + "/data", payload, 0, false);
                    }
                } catch (Exception e) {
                    System.out.println("publisher " + id + ": " + e);
                }
            });
            t.start();
            threads.add(t);
        }
        int last = -1;
        long lastProgress = System.nanoTime();
        int stalls = 0;
        while (received.get() < total && System.nanoTime() - start < budgetMillis * 1_000_000) {
            Thread.sleep(100);
            int now = received.get();
            if (now != last) {
                last = now;
                lastProgress = System.nanoTime();
            } else if (System.nanoTime() - lastProgress > STALL_NANOS) {
                stalls++;
                String queued = metric(httpPort, "wrenmq_messages_queued");
                System.out.printf("STALL: %d of %d after %.1f s, broker queued %s%n", now, total,
                        (System.nanoTime() - start) / 1e9, queued);
                Files.createDirectories(out);
                String tag = "stall-" + System.currentTimeMillis();
                Files.writeString(out.resolve(tag + ".txt"), "received " + now + " of " + total + "\nqueued "
                        + queued + "\n" + run("ss", "-tnmiop", "( sport = :" + port + " or dport = :" + port + " )")
                        + "\n" + threadStates(pid) + "\n" + metricsAll(httpPort));
                Files.writeString(out.resolve(tag + ".jstack"), run("jstack", "-l", String.valueOf(pid)));
                lastProgress = System.nanoTime(); // at most one dump per stall period
                if (stalls >= 3) {
                    break;
                }
            }
        }
        for (Thread t : threads) {
            t.join(1000);
        }
        int got = received.get();
        System.out.printf("received %d of %d in %.1f s, mean latency %.1f ms, longest gap %.0f ms (after message %d), stalls %d%n",
                got, total, (System.nanoTime() - start) / 1e9, got == 0 ? 0 : latencySum.get() / 1e6 / got,
                longestGap.get() / 1e6, longestGapAt.get(), stalls);
        System.exit(got == total ? 0 : stalls > 0 ? 3 : 4);
    }

    static MqttConnectOptions options() {
        MqttConnectOptions o = new MqttConnectOptions();
        o.setCleanSession(true);
        o.setKeepAliveInterval(60);
        o.setMaxInflight(1000);
        return o;
    }

    static String metricsAll(int httpPort) {
        try {
            return HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                    URI.create("http://127.0.0.1:" + httpPort + "/metrics")).build(),
                    HttpResponse.BodyHandlers.ofString()).body();
        } catch (Exception e) {
            return "metrics: " + e;
        }
    }

    static String metric(int httpPort, String name) {
        for (String line : metricsAll(httpPort).split("\n")) {
            if (line.startsWith(name + " ") || line.startsWith(name + "{")) {
                return line.substring(line.lastIndexOf(' ') + 1);
            }
        }
        return "?";
    }

    /** Each broker thread's name, scheduler state (R, S, D) and CPU ticks, and where the kernel has it waiting. */
    static String threadStates(long pid) {
        StringBuilder b = new StringBuilder("threads (name state utime stime wchan):\n");
        File[] tasks = new File("/proc/" + pid + "/task").listFiles();
        if (tasks == null) {
            return "no /proc/" + pid;
        }
        for (File t : tasks) {
            try {
                String stat = Files.readString(t.toPath().resolve("stat"));
                String name = stat.substring(stat.indexOf('(') + 1, stat.lastIndexOf(')'));
                String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
                String wchan = Files.readString(t.toPath().resolve("wchan"));
                b.append(name).append(' ').append(f[0]).append(' ').append(f[11]).append(' ').append(f[12])
                        .append(' ').append(wchan).append('\n');
            } catch (Exception e) {
                b.append(t.getName()).append(": ").append(e).append('\n');
            }
        }
        return b.toString();
    }

    static String run(String... cmd) {
        try {
            Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
            return new String(p.getInputStream().readAllBytes());
        } catch (Exception e) {
            return cmd[0] + ": " + e;
        }
    }
}
