package org.wrenmq.broker.standalone;

import java.nio.file.Path;
import java.util.concurrent.CountDownLatch;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.wrenmq.broker.Broker;
import org.wrenmq.broker.BrokerConfig;
import org.wrenmq.broker.BrokerStartException;
import org.wrenmq.broker.ConfigException;

/**
 * The standalone broker, with mosquitto's flags: {@code -c FILE} (config file), {@code -p PORT} (listen on a port),
 * {@code -v} (verbose log). Runs in the foreground until stopped (Ctrl-C, SIGTERM); {@code kill -HUP} re-reads
 * the password and acl files, certificates, keys and the other files {@link Broker#reload()} covers.
 *
 * <p>Exit status: 0 after a normal stop, 1 when the configuration is wrong or a port cannot be bound (the
 * message says which file and line, or which address), 2 for a usage error.
 */
public final class Main {

    private Main() {
    }

    public static void main(String[] args) throws InterruptedException {
        Path configFile = null;
        String port = null;
        boolean verbose = false;
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "-c":
                case "--config-file":
                    configFile = Path.of(value(args, ++i, "-c FILE"));
                    break;
                case "-p":
                case "--port":
                    port = value(args, ++i, "-p PORT");
                    break;
                case "-v":
                case "--verbose":
                    verbose = true;
                    break;
                case "-h":
                case "--help":
                    System.out.println(usage());
                    return;
                default:
                    fail(2, "unknown option '" + args[i] + "'\n" + usage());
            }
        }
        configureLogging(verbose);
        Logger log = LoggerFactory.getLogger(Main.class);
        BrokerConfig config;
        try {
            BrokerConfig.Builder b = BrokerConfig.builder();
            if (configFile != null) {
                org.wrenmq.broker.config.ConfigFileReader.read(configFile, (where, key, value) -> b.origin(where).set(key, value));
            }
            if (port != null) {
                if (configFile == null) {
                    b.set("listener", port + " 127.0.0.1").set("allow_anonymous", "true");
                } else {
                    b.set("port", port);
                }
            }
            config = b.build();
        } catch (ConfigException e) {
            fail(1, e.getMessage());
            return;
        }
        if (configFile == null) {
            log.info("no config file: local-only mode as in mosquitto 2, listening on {} only with anonymous "
                    + "clients allowed; use -c FILE with a listener line to accept remote clients",
                    config.listeners());
        }
        Broker broker;
        try {
            broker = Broker.builder().config(config).build().start();
        } catch (BrokerStartException e) {
            fail(1, e.getMessage());
            return;
        }
        ReloadOnHangup.install(broker);
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            broker.close();
            stopped.countDown();
        }, "wrenmq-shutdown"));
        stopped.await();
    }

    private static String value(String[] args, int i, String what) {
        if (i >= args.length) {
            fail(2, what + ": value missing\n" + usage());
        }
        return args[i];
    }

    /** slf4j-simple is the standalone binding: timestamps, INFO by default, DEBUG with -v. */
    private static void configureLogging(boolean verbose) {
        System.setProperty("org.slf4j.simpleLogger.defaultLogLevel", verbose ? "debug" : "info");
        System.setProperty("org.slf4j.simpleLogger.showDateTime", "true");
        System.setProperty("org.slf4j.simpleLogger.dateTimeFormat", "yyyy-MM-dd'T'HH:mm:ss.SSS");
        System.setProperty("org.slf4j.simpleLogger.showShortLogName", "true");
        System.setProperty("org.slf4j.simpleLogger.log.io.netty", "info");
    }

    private static String usage() {
        return "usage: wrenmq [-c FILE] [-p PORT] [-v]\n"
                + "  -c FILE  read the configuration from FILE (mosquitto syntax)\n"
                + "  -p PORT  listen on PORT (on 127.0.0.1 when no config file is given)\n"
                + "  -v       verbose logging";
    }

    private static void fail(int status, String message) {
        System.err.println("wrenmq: " + message);
        System.exit(status);
    }
}
