package org.wrenmq.it.appserver.scripted;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
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
    private static final String CREDENTIALS = "## Credentials";
    private static final String ENCODED_ON_PAGE = "{xor}LGw8LTor";
    /** The test's own addition: credentials the broker refuses, to show that the right ones are what it checks. */
    private static final String WRONG_CREDENTIALS = """
              <authData id="wrong" user="app" password="wrong"/>
              <connectionFactory jndiName="wrenmq/WrongFactory" containerAuthDataRef="wrong">
                <properties.wrenmq/>
              </connectionFactory>
            """;
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
        TestApplication.writeInto(user, "wrenmq/ConnectionFactory",
                Map.of("mqtt/app", "wrenmq/AppFactory", "mqtt/wrong", "wrenmq/WrongFactory"));
        Map<String, String> environment = Shell.withThisJdk(Map.of("WLP_HOME", home.toString()));

        Shell.run(page.codeBlock(CREATE, "sh"), user, environment);
        String printed = Shell.run(page.codeBlock(CREDENTIALS, "sh"), user, environment);
        assertThat(printed).as("securityUtility encode, as the page shows it").contains(ENCODED_ON_PAGE);
        Files.writeString(serverDir.resolve("server.xml"), serverXmlAsPrintedHere());
        server = ServerProcess.start(page.codeBlock(RUN, "sh"), user, environment, work.resolve("console.log"),
                console -> console.contains("CWWKF0011I") && console.contains("CWWKZ0001I"));
        String messages = Files.readString(serverDir.resolve("logs/messages.log"));
        assertThat(messages).as("every message-driven bean has its activation spec").doesNotContain("CNTR4015W")
                .contains("J2CA7001I: Resource adapter wrenmq installed")
                .as("the adapter's own log lines reach messages.log").contains("WRENMQ-JCA-002");
    }

    /** The credentials of the page's authData reach the broker: right ones publish, wrong ones are refused. */
    @Test
    void credentialsFromAuthDataAreWhatTheBrokerChecks() {
        probe().cdiPublishThrough("mqtt/app", "it/basic/credentials/app", "as app");

        await().atMost(DELIVERY).until(() -> probe().payloads("it/basic/credentials/app"), p -> p.contains("as app"));
        assertThat(probe().cdiPublishThroughFails("mqtt/wrong", "it/basic/credentials/wrong", "refused"))
                .contains("refused user 'app'");
    }

    /** The page's server.xml with its Credentials section, and the changes the page lists at its end. */
    private String serverXmlAsPrintedHere() {
        String xml = page.codeBlock(CONFIGURE, "xml");
        assertThat(xml).as("server.xml of " + page.file()).contains(EXAMPLE_SPEC, "port=\"1883\"", "</server>");
        String specs = TestApplication.MESSAGE_DRIVEN_BEANS.stream()
                .map(bean -> EXAMPLE_SPEC.replace("Readings", bean)).collect(Collectors.joining("\n  "));
        return withCredentials(xml).replace("1883", Integer.toString(mqttPort)).replace("0.0.0.0", "127.0.0.1")
                .replace(EXAMPLE_SPEC, specs)
                .replace("</server>", WRONG_CREDENTIALS + "</server>")
                .replace("</server>", "  <httpEndpoint id=\"defaultHttpEndpoint\" host=\"127.0.0.1\" httpPort=\""
                        + httpPort + "\" httpsPort=\"-1\"/>\n</server>");
    }

    /** Step 2's resourceAdapter replaced by the Credentials section's; the rest of that section added. */
    private String withCredentials(String xml) {
        String credentials = page.codeBlock(CREDENTIALS, "xml");
        String adapter = element(credentials, "<resourceAdapter", "</resourceAdapter>");
        String rest = credentials.replace(adapter, "");
        return xml.replace(element(xml, "<resourceAdapter", "</resourceAdapter>"), adapter.strip())
                .replace("</server>", rest.stripTrailing() + "\n</server>");
    }

    private static String element(String xml, String start, String end) {
        int from = xml.indexOf(start);
        int to = xml.indexOf(end, from);
        assertThat(from).as(start + " in\n" + xml).isNotNegative();
        assertThat(to).as(end + " in\n" + xml).isNotNegative();
        return xml.substring(from, to + end.length());
    }

}
