package org.wrenmq.it.mqttjs;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;

import org.wrenmq.it.support.ClientProcess;

/**
 * MQTT.js (npm package {@code mqtt}, major version 5) installed with the machine's npm into
 * {@code target/mqttjs}, next to the scenario script it runs. A scenario reports what the client saw as
 * {@code key=value} lines.
 */
final class MqttJs {
    /** npm fetches about 30 small packages; a slow mirror may take a while, a dead one must not hang the build. */
    private static final Duration INSTALL_TIME = Duration.ofMinutes(5);
    static final Duration SCENARIO_TIME = Duration.ofSeconds(30);
    private static final String SCRIPT = "scenarios.cjs";
    /** The scripts and the browser page, copied next to node_modules. */
    private static final String[] FILES = {SCRIPT, "websockets.cjs", "acl.cjs", "browser.html"};

    private final Path dir;

    private MqttJs(Path dir) {
        this.dir = dir;
    }

    /** Installs MQTT.js unless an earlier run of this build already did, and puts the scenario script beside it. */
    static MqttJs install() {
        Path dir = Path.of(System.getProperty("mqttjs.dir", "target/mqttjs")).toAbsolutePath();
        try {
            Files.createDirectories(dir);
            for (String file : FILES) {
                try (InputStream in = MqttJs.class.getResourceAsStream("/mqttjs/" + file)) {
                    Files.copy(in, dir.resolve(file), StandardCopyOption.REPLACE_EXISTING);
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        if (!Files.isDirectory(dir.resolve("node_modules/mqtt"))) {
            try (ClientProcess npm = ClientProcess.start(dir, "npm", "install", "--no-audit", "--no-fund",
                    "--no-package-lock", "mqtt@5")) {
                assertThat(npm.awaitExit(INSTALL_TIME)).as("npm install mqtt@5: %s", npm.stderr()).isZero();
            }
        }
        return new MqttJs(dir);
    }

    /** The folder holding node_modules, the scripts and {@code browser.html}. */
    Path dir() {
        return dir;
    }

    /** Runs {@code websockets.cjs} (MQTT.js over ws:// or wss://) to its end; fails if it reported an error. */
    Map<String, String> runWebSockets(String url, Path caFile) {
        try (ClientProcess node = caFile == null ? ClientProcess.start(dir, "node", "websockets.cjs", url)
                : ClientProcess.start(dir, "node", "websockets.cjs", url, caFile.toString())) {
            int exit = node.awaitExit(SCENARIO_TIME);
            Map<String, String> report = parse(node);
            assertThat(report).as("websockets.cjs %s; stderr: %s", url, node.stderr()).doesNotContainKey("error");
            assertThat(exit).as("exit code of websockets.cjs").isZero();
            return report;
        }
    }

    /** Starts a scenario of {@code scenarios.cjs} against the broker on {@code port}. */
    ClientProcess start(String scenario, int port) {
        return ClientProcess.start(dir, "node", SCRIPT, scenario, String.valueOf(port));
    }

    /** Runs a scenario to its end and returns what it reported; fails if it reported an error. */
    Map<String, String> run(String scenario, int port) {
        return finish(start(scenario, port), "scenario " + scenario);
    }

    /** Runs another script of this folder ({@code node SCRIPT ARGS}) to its end, as {@link #run}. */
    Map<String, String> runScript(String script, String... args) {
        String[] command = new String[args.length + 2];
        command[0] = "node";
        command[1] = script;
        System.arraycopy(args, 0, command, 2, args.length);
        return finish(ClientProcess.start(dir, command), script + " " + String.join(" ", args));
    }

    private static Map<String, String> finish(ClientProcess started, String what) {
        try (ClientProcess node = started) {
            int exit = node.awaitExit(SCENARIO_TIME);
            Map<String, String> report = parse(node);
            assertThat(report).as("%s failed; stderr: %s", what, node.stderr()).doesNotContainKey("error");
            assertThat(exit).as("exit code of %s", what).isZero();
            return report;
        }
    }

    static Map<String, String> parse(ClientProcess node) {
        Map<String, String> report = new LinkedHashMap<>();
        for (String line : node.lines()) {
            int eq = line.indexOf('=');
            if (eq > 0) {
                report.put(line.substring(0, eq), line.substring(eq + 1));
            }
        }
        return report;
    }
}
