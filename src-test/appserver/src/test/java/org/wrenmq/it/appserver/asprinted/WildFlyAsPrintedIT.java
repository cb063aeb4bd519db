package org.wrenmq.it.appserver.asprinted;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.net.InetAddress;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;
import org.junit.jupiter.api.parallel.Execution;
import org.junit.jupiter.api.parallel.ExecutionMode;
import org.wrenmq.it.appserver.tools.MosquittoClients;
import org.wrenmq.it.support.DocPage;
import org.wrenmq.it.support.Mosquitto;
import org.wrenmq.it.support.Ports;

/**
 * docs/jakarta-ee/wildfly.md followed as printed, on a fresh WildFly each time, without Arquillian: the test
 * runs the page's own code blocks (read from the page, so that the page and the test cannot drift apart) with
 * bash, then checks the broker inside WildFly with mosquitto_pub and mosquitto_sub. What it changes, and only
 * that: the MQTT port (1883 on the page) is one free at run time, {@code 0.0.0.0} becomes {@code 127.0.0.1}, and
 * WildFly runs with a port offset, so {@code jboss-cli.sh -c} gets {@code --controller} as the page says.
 *
 * <p>Runs in the build's {@code as-printed} Failsafe run, which names the WildFly zip (skipped in the others), two
 * routes at a time.
 */
@EnabledIfSystemProperty(named = "wrenmq.wildfly.zip", matches = ".+")
@Execution(ExecutionMode.CONCURRENT)   // each route has a WildFly, ports and directories of its own
class WildFlyAsPrintedIT {

    private static final String PAGE = "jakarta-ee/wildfly.md";
    private static final String RUN = "## 1. Run WildFly";
    private static final String DESCRIPTOR_ROUTE = "## 2. Set the adapter's properties inside the RAR";
    private static final String CLI_ROUTE = "### Or: configure the adapter with jboss-cli";
    private static final String EDIT_STEP = "# edit META-INF/ironjacamar.xml";
    private static final String WAIT_STEP = "# wait until WildFly deployed it";
    private static final String CREDENTIALS = "### Credentials from the Elytron credential store";
    private static final Pattern ENCRYPTED_EXPRESSION = Pattern.compile("\\$\\{ENC::[^}]+}");
    private static final String PASTED_EXPRESSION = "${ENC::wrenmq:RUxZAUMQ...}";
    private static final String EXTERNAL_BROKER = "broker.example.com:1883";
    /** The user and password the page's commands give the adapter for the external broker. */
    private static final String BROKER_USER = "app";
    private static final String BROKER_PASSWORD = "s3cret";
    private static final String IRONJACAMAR = "META-INF/ironjacamar.xml";
    private static final String RAR = "wrenmq.rar";
    private static final Duration BROKER_UP = Duration.ofSeconds(60);
    private static final Duration DELIVERY = Duration.ofSeconds(30);

    private final DocPage page = DocPage.read(PAGE);
    private final int mqttPort = Ports.free();

    @Test
    void descriptorRoute() throws Exception {
        Path work = work("descriptor");
        try (FreshWildFly wildfly = FreshWildFly.unpack(wildflyZip(), work)) {
            wildfly.start(page.codeBlock(RUN, "sh"));
            Path user = userDirectory(work);

            String[] steps = around(page.codeBlock(DESCRIPTOR_ROUTE, "sh"), EDIT_STEP);
            wildfly.sh(steps[0], user);
            editAsPrinted(user.resolve(IRONJACAMAR));
            wildfly.sh(steps[1], user);

            wildfly.awaitDeployed(RAR);
            assertThat(wildfly.serverLog()).contains("WrenMQ listening on").contains("WRENMQ-JCA-002");
            assertClientsTalkThroughTheBroker();
        }
    }

    @Test
    void jbossCliRoute() throws Exception {
        Path work = work("jboss-cli");
        try (FreshWildFly wildfly = FreshWildFly.unpack(wildflyZip(), work)) {
            wildfly.start(page.codeBlock(RUN, "sh"));
            Path user = userDirectory(work);
            CliRoute route = cliRoute(wildfly);

            wildfly.sh(route.deploy(), user);
            wildfly.awaitDeployed(RAR);
            wildfly.sh(route.configure(), user);
            assertThat(listening()).as("the adapter stays inactive before :activate, as the page says").isFalse();
            assertThat(wildfly.serverLog()).as("no connection factory before :activate")
                    .doesNotContain("Bound Jakarta Connectors ConnectionFactory [java:/wrenmq/ConnectionFactory]");

            wildfly.sh(route.activate(), user);
            await("the broker after :activate").atMost(BROKER_UP).pollInterval(Duration.ofMillis(250))
                    .until(this::listening);
            assertThat(wildfly.serverLog()).contains("WRENMQ-JCA-002");
            assertClientsTalkThroughTheBroker();
        }
    }

    /**
     * The adapter's password for an external broker from the Elytron credential store: the page's store commands,
     * the expression they print pasted where the page says, the jboss-cli route without the embedded broker's
     * properties, then the page's check. The broker is a mosquitto that refuses every other password.
     */
    @Test
    void credentialStoreRoute() throws Exception {
        Path work = work("credential-store");
        Mosquitto broker = Mosquitto.startRequiring(BROKER_USER, BROKER_PASSWORD);
        try (FreshWildFly wildfly = FreshWildFly.unpack(wildflyZip(), work)) {
            wildfly.start(page.codeBlock(RUN, "sh"));
            Path user = userDirectory(work);
            CliRoute route = cliRoute(wildfly);
            List<String> blocks = page.codeBlocks(CREDENTIALS).stream().map(DocPage.Block::text)
                    .map(text -> text.replace("jboss-cli.sh -c", "jboss-cli.sh -c --controller=127.0.0.1:"
                            + wildfly.managementPort())).toList();
            assertThat(blocks).as("store, properties and check blocks of " + CREDENTIALS).hasSize(3);

            wildfly.sh(route.deploy(), user);
            wildfly.awaitDeployed(RAR);
            Matcher expression = ENCRYPTED_EXPRESSION.matcher(wildfly.sh(blocks.get(0), user));
            assertThat(expression.find()).as("create-expression printed an ${ENC::...} expression").isTrue();
            wildfly.sh(withoutEmbeddedBrokerProperties(route.configure()), user);
            assertThat(blocks.get(1)).contains(PASTED_EXPRESSION, EXTERNAL_BROKER);
            wildfly.sh(blocks.get(1).replace(PASTED_EXPRESSION, expression.group())
                    .replace(EXTERNAL_BROKER, "127.0.0.1:" + broker.port()), user);
            wildfly.sh(route.activate(), user);

            assertThat(wildfly.sh(blocks.get(2), user)).as("a pooled connection got past the broker's password check")
                    .contains("\"result\" => [true]");
            assertThat(Files.readString(wildfly.home().resolve("standalone/configuration/standalone-full.xml")))
                    .contains(expression.group()).doesNotContain(BROKER_PASSWORD);
        } finally {
            broker.stop();
        }
    }

    /** The jboss-cli route's configuration without the lines that set the embedded broker's properties. */
    private static String withoutEmbeddedBrokerProperties(String commands) {
        String kept = commands.lines().filter(line -> !line.matches(".*config-properties=(port|bindAddress"
                + "|allowAnonymous):add.*")).collect(Collectors.joining("\n", "", "\n"));
        assertThat(kept).as("the jboss-cli route without port, bindAddress, allowAnonymous").doesNotContain("port:add");
        return kept;
    }

    /**
     * The page's warning: the subsystem configured, then the RAR deployed with its own descriptor still inside
     * fails. The descriptor's adapter started its broker before the failure; removing the failed deployment, as a
     * user then does, must close that broker's port.
     */
    @Test
    void rarWithItsOwnDescriptorFailsBesideTheSubsystemAndItsBrokerStopsWhenRemoved() throws Exception {
        Path work = work("descriptor-left-inside");
        try (FreshWildFly wildfly = FreshWildFly.unpack(wildflyZip(), work)) {
            wildfly.start(page.codeBlock(RUN, "sh"));
            Path user = userDirectory(work);
            wildfly.sh(cliRoute(wildfly).configure(), user);

            String[] steps = around(page.codeBlock(DESCRIPTOR_ROUTE, "sh"), EDIT_STEP);
            wildfly.sh(steps[0], user);
            editAsPrinted(user.resolve(IRONJACAMAR));
            wildfly.sh(steps[1], user);

            assertThat(wildfly.awaitFailed(RAR)).contains("DuplicateServiceException")
                    .contains("java:/wrenmq/ConnectionFactory is already registered");
            assertThat(listening()).as("the descriptor's adapter started its broker before the failure").isTrue();
            Files.delete(wildfly.home().resolve("standalone/deployments").resolve(RAR));
            await("the broker's port closed once the failed deployment is removed").atMost(BROKER_UP)
                    .pollInterval(Duration.ofMillis(250)).until(() -> !listening());
        }
    }

    /** The jboss-cli route's commands as this run types them: deploy the stripped RAR, configure, activate. */
    private record CliRoute(String deploy, String configure, String activate) {
    }

    private CliRoute cliRoute(FreshWildFly wildfly) {
        String script = page.codeBlock(CLI_ROUTE, "sh")
                .replace("jboss-cli.sh -c", "jboss-cli.sh -c --controller=127.0.0.1:" + wildfly.managementPort());
        String[] steps = around(asPrintedHere(script), WAIT_STEP);
        List<String> configure = Arrays.asList(steps[1].split("\n"));
        String activate = configure.get(configure.size() - 1);
        assertThat(activate).as("the last command of the jboss-cli route").endsWith(":activate'");
        return new CliRoute(steps[0], String.join("\n", configure.subList(0, configure.size() - 1)) + "\n",
                activate + "\n");
    }

    /**
     * Puts the page's {@code config-property} lines into the RAR's descriptor where the page says: direct children
     * of {@code <ironjacamar>}, before {@code <transaction-support>}.
     */
    private void editAsPrinted(Path descriptor) throws IOException {
        String properties = page.codeBlock(DESCRIPTOR_ROUTE, "xml").lines()
                .filter(line -> line.strip().startsWith("<config-property "))
                .map(line -> asPrintedHere(line) + "\n").collect(Collectors.joining());
        assertThat(properties).as("config-property lines of " + page.file()).contains("name=\"port\"");
        String text = Files.readString(descriptor);
        int at = text.indexOf("  <transaction-support>");
        assertThat(at).as("<transaction-support> in the RAR's " + IRONJACAMAR).isPositive();
        Files.writeString(descriptor, text.substring(0, at) + properties + text.substring(at));
    }

    /** The commands before and after the page's comment line that starts with {@code comment}: a manual step. */
    private String[] around(String block, String comment) {
        String[] parts = block.split("(?m)^" + Pattern.quote(comment) + ".*\n");
        assertThat(parts).as("commands around the line '" + comment + "' of " + page.file()).hasSize(2);
        return parts;
    }

    /** The page's text with this run's port and loopback instead of every interface. */
    private String asPrintedHere(String text) {
        return text.replace("1883", Integer.toString(mqttPort)).replace("0.0.0.0", "127.0.0.1");
    }

    /** A user's directory with the RAR where the build leaves it, so that the page's {@code cp} finds it. */
    private static Path userDirectory(Path work) throws IOException {
        Path user = work.resolve("user");
        Path built = user.resolve("jca-adapter/target/jca-adapter-" + System.getProperty("wrenmq.version") + ".rar");
        Files.createDirectories(built.getParent());
        Files.copy(Path.of(System.getProperty("wrenmq.rar")), built);
        return user;
    }

    /** mosquitto_sub receives what mosquitto_pub sends, on the page's topic, through the broker in WildFly. */
    private void assertClientsTalkThroughTheBroker() {
        MosquittoClients clients = new MosquittoClients(mqttPort);
        assertThat(clients.receiveOne("hello", DELIVERY, () -> clients.publish("hello", "world", 0)))
                .isEqualTo("world");
    }

    private boolean listening() {
        try (Socket ignored = new Socket(InetAddress.getLoopbackAddress(), mqttPort)) {
            return true;
        } catch (IOException refused) {
            return false;
        }
    }

    private static Path work(String route) {
        return Path.of(System.getProperty("wrenmq.asprinted.work", "target/as-printed")).resolve(route);
    }

    private static Path wildflyZip() {
        return Path.of(System.getProperty("wrenmq.wildfly.zip"));
    }
}
