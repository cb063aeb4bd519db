package org.wrenmq.broker;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A bridge's TLS file that is not there is reported at its line, before the broker starts. */
class BridgeTlsFilesTest {
    @TempDir
    Path dir;

    @Test
    void aMissingCaFileOrFolderIsReportedWithFileAndLine() throws IOException {
        assertError("bridge_cafile " + dir.resolve("nope.crt"), ":4: bridge_cafile: " + dir.resolve("nope.crt")
                + " is not a readable file");
        assertError("bridge_capath " + dir.resolve("nope"), ":4: bridge_capath: " + dir.resolve("nope")
                + " is not a folder");
        Files.writeString(dir.resolve("ca.crt"), "x");
        assertError("bridge_cafile " + dir.resolve("ca.crt") + "\nbridge_certfile " + dir, ":5: bridge_certfile: "
                + dir + " is not a readable file");
    }

    private void assertError(String tlsLines, String message) throws IOException {
        Path conf = Files.writeString(dir.resolve("wrenmq.conf"), "connection c\naddress h\ntopic a\n" + tlsLines
                + "\n");
        assertThatThrownBy(() -> BrokerConfig.parse(conf)).isInstanceOf(ConfigException.class)
                .hasMessageStartingWith(conf.toString()).hasMessageEndingWith(message);
    }
}
