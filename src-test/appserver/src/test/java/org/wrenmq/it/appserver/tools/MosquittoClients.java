package org.wrenmq.it.appserver.tools;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

/** mosquitto_pub and mosquitto_sub (Debian package mosquitto-clients), as a user outside the server runs them. */
public final class MosquittoClients {

    private final int port;

    public MosquittoClients(int port) {
        this.port = port;
    }

    public void publish(String topic, String message, int qos) {
        run(new ProcessBuilder("mosquitto_pub", "-h", "127.0.0.1", "-p", Integer.toString(port), "-t", topic,
                "-m", message, "-q", Integer.toString(qos), "-V", "mqttv5"));
    }

    /**
     * Subscribes with mosquitto_sub and calls {@code trigger} every 200 ms until the first message arrives (a
     * fresh subscriber cannot say when its SUBSCRIBE took effect); returns that message's payload.
     */
    public String receiveOne(String topicFilter, Duration timeout, Runnable trigger) {
        try {
            Process sub = new ProcessBuilder("mosquitto_sub", "-h", "127.0.0.1", "-p", Integer.toString(port),
                    "-t", topicFilter, "-q", "1", "-C", "1", "-W", Long.toString(timeout.toSeconds()),
                    "-V", "mqttv5").redirectErrorStream(true).start();
            long deadline = System.nanoTime() + timeout.toNanos();
            while (!sub.waitFor(200, TimeUnit.MILLISECONDS)) {
                if (System.nanoTime() > deadline) {
                    sub.destroyForcibly();
                    throw new AssertionError("mosquitto_sub got nothing on " + topicFilter + " within " + timeout);
                }
                trigger.run();
            }
            String output = new String(sub.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
            if (sub.exitValue() != 0) {
                throw new AssertionError("mosquitto_sub exited with " + sub.exitValue() + ": " + output);
            }
            return output;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }

    private static void run(ProcessBuilder command) {
        try {
            Process process = command.redirectErrorStream(true).start();
            if (!process.waitFor(30, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                throw new AssertionError(command.command() + " did not finish in 30 s");
            }
            String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (process.exitValue() != 0) {
                throw new AssertionError(command.command() + " exited with " + process.exitValue() + ": " + output);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }
}
