package org.wrenmq.it.appserver.scripted;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;
import org.wrenmq.it.appserver.tools.Distribution;
import org.wrenmq.it.support.DocPage;
import org.wrenmq.it.appserver.tools.Shell;

/**
 * docs/jakarta-ee/open-liberty.md followed as printed on the Open Liberty the build unpacked, then the adapter's
 * contract checked from outside (see {@link ScriptedContract}). The page's commands and server.xml are read from
 * the page; what this test changes is listed at the end of the page.
 *
 * <p>Runs in the build's {@code scripted-servers} Failsafe run, which names the Liberty installation.
 */
@EnabledIfSystemProperty(named = "wrenmq.liberty.home", matches = ".+")
class OpenLibertyAsPrintedIT extends ScriptedContract {

    private static final String PAGE = "jakarta-ee/open-liberty.md";
    private static final String CREATE = "## 1. Create a server";
    private static final String CONFIGURE = "## 2. Configure it in server.xml";
    private static final String RUN = "## 3. Run it";
    private static final String EXAMPLE_SPEC = "<activationSpec id=\"myapp/Readings\"><properties.wrenmq/></activationSpec>";
    private static final String SERVER = "wrenmq";

    private final DocPage page = DocPage.read(PAGE);
    private final Path home = Path.of(System.getProperty("wrenmq.liberty.home"));
    private final Path work = Path.of(System.getProperty("wrenmq.scripted.work", "target/scripted")).resolve("liberty");

    @Override
    void startAsPrinted() throws Exception {
        Path serverDir = home.resolve("usr/servers").resolve(SERVER);
        Distribution.deleteRecursively(serverDir);
        Distribution.deleteRecursively(work);
        Path user = UserDirectory.withBuiltRar(work.resolve("user"));
        TestApplication.writeInto(user, "wrenmq/ConnectionFactory");
        Map<String, String> environment = Shell.withThisJdk(Map.of("WLP_HOME", home.toString()));

        Shell.run(page.codeBlock(CREATE, "sh"), user, environment);
        Files.writeString(serverDir.resolve("server.xml"), serverXmlAsPrintedHere());
        server = ServerProcess.start(page.codeBlock(RUN, "sh"), user, environment, work.resolve("console.log"),
                console -> console.contains("CWWKF0011I") && console.contains("CWWKZ0001I"));
        String messages = Files.readString(serverDir.resolve("logs/messages.log"));
        assertThat(messages).as("every message-driven bean has its activation spec").doesNotContain("CNTR4015W")
                .contains("J2CA7001I: Resource adapter wrenmq installed");
    }

    /** The page's server.xml, with the changes the page lists at its end. */
    private String serverXmlAsPrintedHere() {
        String xml = page.codeBlock(CONFIGURE, "xml");
        assertThat(xml).as("server.xml of " + page.file()).contains(EXAMPLE_SPEC, "port=\"1883\"", "</server>");
        String specs = TestApplication.MESSAGE_DRIVEN_BEANS.stream()
                .map(bean -> EXAMPLE_SPEC.replace("Readings", bean)).collect(Collectors.joining("\n  "));
        return xml.replace("1883", Integer.toString(mqttPort)).replace("0.0.0.0", "127.0.0.1")
                .replace(EXAMPLE_SPEC, specs)
                .replace("</server>", "  <httpEndpoint id=\"defaultHttpEndpoint\" host=\"127.0.0.1\" httpPort=\""
                        + httpPort + "\" httpsPort=\"-1\"/>\n</server>");
    }

}
