package org.wrenmq.it.appserver.launcher;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.platform.launcher.LauncherSession;
import org.junit.platform.launcher.LauncherSessionListener;
import org.wrenmq.it.support.DocPage;
import org.wrenmq.it.support.Ports;

/**
 * Prepares a Payara Micro run ({@code arquillian.launch=payara}) before Arquillian reads {@code arquillian.xml}:
 * free ports for the embedded broker and Hazelcast, and the post-boot command file that deploys and configures
 * the adapter (Payara Micro deploys one archive through Arquillian, so the RAR comes this way). The commands are
 * read from docs/jakarta-ee/payara.md: the test runs what the page prints, with a free port, loopback,
 * persistence off and the built RAR's path.
 */
public final class PayaraMicroSetup implements LauncherSessionListener {

    private static final String PAGE = "jakarta-ee/payara.md";
    private static final String SECTION = "## Payara Micro";

    @Override
    public void launcherSessionOpened(LauncherSession session) {
        if (!"payara".equals(System.getProperty("arquillian.launch"))
                || System.getProperty("wrenmq.payara.postboot") != null) {
            return;
        }
        int mqttPort = Ports.free();
        int hazelcastPort = Ports.free();
        Path rar = Path.of(System.getProperty("wrenmq.rar")).toAbsolutePath();
        Path postBoot = rar.resolveSibling("payara-postboot.asadmin");
        String commands = asPrintedHere(DocPage.read(PAGE).codeBlock(SECTION, ""), Map.of(
                "port=1883:bindAddress=0.0.0.0:", "port=" + mqttPort + ":bindAddress=127.0.0.1:persistence=false:",
                "/path/to/jca-adapter-" + System.getProperty("wrenmq.version") + ".rar", rar.toString()));
        try {
            Files.writeString(postBoot, commands);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        System.setProperty("wrenmq.payara.postboot", postBoot.toString());
        System.setProperty("wrenmq.payara.mqttPort", Integer.toString(mqttPort));
        System.setProperty("wrenmq.payara.hazelcastPort", Integer.toString(hazelcastPort));
    }

    /** The page's commands with these replacements, each of which must find its text (or the page changed). */
    private static String asPrintedHere(String commands, Map<String, String> replacements) {
        String result = commands;
        for (Map.Entry<String, String> replacement : replacements.entrySet()) {
            if (!result.contains(replacement.getKey())) {
                throw new IllegalStateException(PAGE + ": no '" + replacement.getKey() + "' in the commands of "
                        + SECTION + ":\n" + commands);
            }
            result = result.replace(replacement.getKey(), replacement.getValue());
        }
        return result;
    }
}
