package org.wrenmq.it.appserver.scripted;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Map;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;
import org.wrenmq.it.appserver.tools.Distribution;
import org.wrenmq.it.support.DocPage;
import org.wrenmq.it.appserver.tools.Shell;

/**
 * docs/jakarta-ee/tomee.md followed as printed on a TomEE unpacked fresh from its zip, then the adapter's contract
 * checked from outside (see {@link ScriptedContract}). The page's commands, server.xml and properties are read from
 * the page; what this test changes is listed at the end of the page.
 *
 * <p>Runs in the build's {@code scripted-servers} Failsafe run, which names the TomEE zip.
 */
@EnabledIfSystemProperty(named = "wrenmq.tomee.zip", matches = ".+")
class TomEEAsPrintedIT extends ScriptedContract {

    private static final String PAGE = "jakarta-ee/tomee.md";
    private static final String INSTALL = "## 1. Put the adapter's API in lib/";
    private static final String CONFIGURE = "## 2. Let TomEE deploy apps/";
    private static final String RUN = "## 3. Run it";
    private static final String CREDENTIALS = "## Credentials";
    private static final String CIPHER_ON_PAGE = "i7eutwIwCqg=";
    private static final String HTTP_CONNECTOR = "<Connector port=\"8080\" protocol=\"HTTP/1.1\"";
    private static final String SHUTDOWN_PORT = "<Server port=\"8005\"";

    private final DocPage page = DocPage.read(PAGE);
    private final Path work = Path.of(System.getProperty("wrenmq.scripted.work", "target/scripted")).resolve("tomee");

    @Override
    void startAsPrinted() throws Exception {
        Distribution.deleteRecursively(work);
        Path home = Distribution.unpack(Path.of(System.getProperty("wrenmq.tomee.zip")), work.resolve("tomee"));
        Path user = UserDirectory.withBuiltRar(work.resolve("user"));
        TestApplication.writeInto(user, "openejb:Resource/wrenmq", Map.of());
        Map<String, String> environment = Shell.withThisJdk(Map.of("CATALINA_HOME", home.toString()));

        Shell.run(page.codeBlock(INSTALL, "sh"), user, environment);
        Files.writeString(home.resolve("conf/tomee.xml"), page.codeBlock(CONFIGURE, "xml"));
        Files.writeString(home.resolve("conf/system.properties"), "\n" + asPrintedHere(
                page.codeBlock(CONFIGURE, "properties")), StandardOpenOption.APPEND);
        String printed = Shell.run(page.codeBlock(CREDENTIALS, "sh"), user, environment);
        assertThat(printed).as("tomee.sh cipher, as the page shows it").contains(CIPHER_ON_PAGE);
        Files.writeString(home.resolve("conf/system.properties"), "\n" + page.codeBlock(CREDENTIALS, "properties"),
                StandardOpenOption.APPEND);
        onLoopbackAndFreePorts(home.resolve("conf/server.xml"));
        server = ServerProcess.start(page.codeBlock(RUN, "sh"), user, environment, work.resolve("console.log"),
                console -> console.contains("Server startup in"));
        assertThat(server.console()).as("TomEE's log").doesNotContain("SEVERE")
                .as("every property passed on (the credentials above included)").doesNotContain("unused property")
                .doesNotContain("refused")
                .contains("WRENMQ-JCA-002", "container=wrenmq)");
    }

    private String asPrintedHere(String text) {
        assertThat(text).as("the adapter's properties on " + page.file()).contains("wrenmqRA.port = 1883");
        return text.replace("1883", Integer.toString(mqttPort)).replace("0.0.0.0", "127.0.0.1");
    }

    /** The HTTP connector on 127.0.0.1 and a free port, no shutdown port: what the page leaves as shipped. */
    private void onLoopbackAndFreePorts(Path serverXml) throws IOException {
        String xml = Files.readString(serverXml);
        assertThat(xml).as(serverXml.toString()).contains(HTTP_CONNECTOR, SHUTDOWN_PORT);
        Files.writeString(serverXml, xml.replace(SHUTDOWN_PORT, "<Server port=\"-1\"").replace(HTTP_CONNECTOR,
                "<Connector address=\"127.0.0.1\" port=\"" + httpPort + "\" protocol=\"HTTP/1.1\""));
    }

}
