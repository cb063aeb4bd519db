package org.wrenmq.it.appserver;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.wrenmq.it.appserver.launcher.AsadminServers;
import org.wrenmq.it.appserver.tools.AsadminDomain;
import org.wrenmq.it.support.DocPage;
import org.wrenmq.it.support.Mosquitto;

/**
 * The adapter's password for an external broker from a password alias, as the GlassFish and Payara pages print
 * it, in the domains of the asadmin run: a second adapter beside the contract's, pointed at a mosquitto that
 * refuses every other password; the page's {@code asadmin ping-connection-pool} must succeed. What the test
 * changes: the adapter's names ({@code wrenmq}, {@code wrenmq-pool}, {@code wrenmq/ConnectionFactory}) get the
 * prefix {@code alias}, so that they do not clash with the contract's, and the broker's address is the
 * mosquitto's.
 */
@EnabledIfSystemProperty(named = "arquillian.launch", matches = "asadmin")
class PasswordAliasIT {

    static final String EXTERNAL_BROKER = "broker.example.com\\:1883";
    static final String BROKER_USER = "app";
    static final String BROKER_PASSWORD = "s3cret";

    @ParameterizedTest(name = "{0}")
    @CsvSource({
        "glassfish7, jakarta-ee/glassfish.md, ## Credentials from a password alias",
        "glassfish8, jakarta-ee/glassfish.md, ## Credentials from a password alias",
        "payara-server, jakarta-ee/payara.md, ### Payara Server: credentials from a password alias"})
    void adapterConnectsWithThePasswordOfItsAlias(String server, String page, String heading) throws Exception {
        Optional<AsadminDomain> started = AsadminServers.started(server);
        assumeTrue(started.isPresent(), server + " is not in this run (wrenmq.asadmin.servers)");
        AsadminDomain domain = started.get();
        String commands = DocPage.read(page).codeBlock(heading, "sh");
        assertThat(commands).contains(EXTERNAL_BROKER, "password=${ALIAS", "asadmin ping-connection-pool");

        Mosquitto broker = Mosquitto.startRequiring(BROKER_USER, BROKER_PASSWORD);
        try {
            Path user = AsadminServers.userDirectory(AsadminServers.work(server));
            String printed = domain.sh(AsadminServers.besideTheContractsAdapter(commands, "alias")
                    .replace(EXTERNAL_BROKER, "127.0.0.1\\:" + broker.port()), user);

            assertThat(printed).contains("Command ping-connection-pool executed successfully");
            assertThat(Files.readString(domain.domainDirectory().resolve("config/domain.xml")))
                    .contains("${ALIAS=wrenmq-mqtt}").doesNotContain(BROKER_PASSWORD);
        } finally {
            broker.stop();
            // a second adapter for the same listener type would stop Payara binding MDBs by listener interface
            domain.sh(REMOVE_ALIAS_ADAPTER, AsadminServers.work(server));
        }
    }

    /** Removes what the test added, whichever command it got to. */
    private static final String REMOVE_ALIAS_ADAPTER = """
            asadmin delete-connector-resource alias/ConnectionFactory || true
            asadmin delete-connector-connection-pool alias-pool || true
            asadmin undeploy alias || true
            asadmin delete-resource-adapter-config alias || true
            """;
}
