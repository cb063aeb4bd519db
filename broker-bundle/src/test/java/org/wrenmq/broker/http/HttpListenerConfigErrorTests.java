package org.wrenmq.broker.http;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.wrenmq.broker.standalone.Main;

/** A wrong {@code http_listener} line stops the standalone broker with the file, the line and the reason. */
class HttpListenerConfigErrorTests {

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "http_listener         | http_listener takes PORT [ADDRESS], not ''",
        "http_listener web     | http_listener must be a whole number, not 'web'",
        "http_listener 70000   | http_listener must be between 0 and 65535, not 70000",
        "http_listener 1 2 3   | http_listener takes PORT [ADDRESS], not '1 2 3'",
    })
    void aBadHttpListenerLineNamesFileAndLine(String line, String reason, @TempDir Path dir) throws Exception {
        Path conf = Files.writeString(dir.resolve("wrenmq.conf"), "listener 0 127.0.0.1\n" + line + "\n");
        Process main = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", System.getProperty("java.class.path"), Main.class.getName(), "-c", conf.toString())
                .redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
        assertThat(main.waitFor(30, TimeUnit.SECONDS)).isTrue();
        assertThat(new String(main.getErrorStream().readAllBytes(), StandardCharsets.UTF_8))
                .isEqualTo("wrenmq: " + conf + ":2: " + reason + "\n");
        assertThat(main.exitValue()).isEqualTo(1);
    }
}
