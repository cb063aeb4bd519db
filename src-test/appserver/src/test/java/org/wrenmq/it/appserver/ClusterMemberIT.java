package org.wrenmq.it.appserver;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import org.jboss.shrinkwrap.api.exporter.ZipExporter;
import org.jboss.shrinkwrap.api.spec.WebArchive;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.wrenmq.it.appserver.launcher.AsadminServers;
import org.wrenmq.it.appserver.scripted.Probe;
import org.wrenmq.it.appserver.scripted.TestApplication;
import org.wrenmq.it.appserver.tools.AsadminDomain;
import org.wrenmq.it.appserver.tools.MosquittoClients;
import org.wrenmq.it.appserver.tools.WrenmqNode;
import org.wrenmq.it.support.DocPage;
import org.wrenmq.it.support.Ports;

/**
 * The adapter's embedded broker as a node of a WrenMQ cluster ({@code clusterName}, {@code clusterListener},
 * {@code clusterMembers}) beside one {@code ./wrenmq} node, in the domains of the asadmin run, as docs/cluster.md
 * prints it: in GlassFish, and in Payara Server, whose own Hazelcast the adapter must keep away from its broker.
 * Messages cross both ways through real clients: {@code mosquitto_pub} on the {@code ./wrenmq} node to a
 * message-driven bean in the server, an EJB in the server to {@code mosquitto_sub} on that node. The adapter is
 * deployed beside the contract's under other names and removed at the end; what the test changes is listed on the
 * page.
 */
@EnabledIfSystemProperty(named = "arquillian.launch", matches = "asadmin")
class ClusterMemberIT {

    /** The adapter's names beside the contract's: {@code cluster}, {@code cluster-pool}, ... */
    static final String ADAPTER = "cluster";
    static final String APPLICATION = "clusterapp";
    static final Duration PATIENCE = Duration.ofSeconds(60);
    static final String PAGE = "cluster.md";

    @ParameterizedTest(name = "{0}: {1}")
    @CsvSource({
        "glassfish7, ### GlassFish: the embedded broker as a cluster node",
        "payara-server, ### Payara: which Hazelcast"})
    void messagesCrossBetweenTheServerAndAWrenmqNode(String server, String heading) throws Exception {
        Optional<AsadminDomain> started = AsadminServers.started(server);
        assumeTrue(started.isPresent(), server + " is not in this run (wrenmq.asadmin.servers)");
        AsadminDomain domain = started.get();
        Path work = AsadminServers.work(server).resolve("cluster");
        int[] ports = Ports.free(4);
        int nodeMqtt = ports[0];
        int nodeMember = ports[1];
        int adapterMqtt = ports[2];
        int adapterMember = ports[3];

        WrenmqNode node = null;
        try {
            node = WrenmqNode.start(work.resolve("node1"), "listener " + nodeMqtt + " 127.0.0.1",
                    "allow_anonymous true", "persistence false", "cluster_name plant-7",
                    "cluster_listener " + nodeMember + " 127.0.0.1",
                    "cluster_members 127.0.0.1:" + nodeMember + ",127.0.0.1:" + adapterMember);
            Path user = AsadminServers.userDirectory(work);
            domain.sh(AsadminServers.besideTheContractsAdapter(AsadminServers.asPrintedHere(DocPage.read(PAGE),
                    heading, Map.of(
                            AsadminServers.BROKER_AS_PRINTED,
                            "port=" + adapterMqtt + ":bindAddress=127.0.0.1:persistence=false:",
                            "clusterListener=5701 10.0.0.21", "clusterListener=" + adapterMember + " 127.0.0.1",
                            "clusterMembers=10.0.0.11\\:5701,10.0.0.21\\:5701",
                            "clusterMembers=127.0.0.1\\:" + nodeMember + ",127.0.0.1\\:" + adapterMember)),
                    ADAPTER), user);
            node.awaitOutput("2 member(s) now", PATIENCE);
            assertThat(domain.serverLog()).as("the adapter's member joined, in server.log")
                    .containsPattern("cluster 'plant-7': node \\S+ on 127.0.0.1:" + adapterMember
                            + ", 2 member\\(s\\) now");
            // the adapter keeps Payara's own Hazelcast away from its broker, and only there
            assertThat(domain.serverLog().contains("WRENMQ-JCA-004 the server's own Hazelcast"))
                    .as("the broker loaded from the RAR's own jars, in server.log")
                    .isEqualTo(server.startsWith("payara"));

            WebArchive application = Deployments.boundForGlassFish(TestApplication.archive(
                    ADAPTER + "/ConnectionFactory", Map.of()), ADAPTER);
            application.as(ZipExporter.class).exportTo(user.resolve(APPLICATION + ".war").toFile(), true);
            domain.sh("asadmin deploy --name " + APPLICATION + " --contextroot " + APPLICATION + " "
                    + APPLICATION + ".war\n", user);
            Probe probe = new Probe(Integer.getInteger("wrenmq." + server + ".httpPort"), APPLICATION);
            MosquittoClients atTheNode = new MosquittoClients(nodeMqtt);

            // the bean's subscription reaches the node a moment after the deployment: publish until it arrives
            await("mosquitto_pub on the ./wrenmq node reaches a message-driven bean in " + server)
                    .atMost(PATIENCE).pollInterval(Duration.ofMillis(500)).until(() -> {
                        atTheNode.publish("it/basic/cluster", "from the ./wrenmq node", 1);
                        return probe.payloads("it/basic/cluster");
                    }, payloads -> payloads.contains("from the ./wrenmq node"));
            assertThat(atTheNode.receiveOne("it/out/#", PATIENCE,
                    () -> probe.publish("it/out/cluster", "from an EJB in " + server)))
                    .as("a message an EJB publishes reaches mosquitto_sub on the ./wrenmq node")
                    .isEqualTo("from an EJB in " + server);
        } finally {
            // a second WrenMQ adapter would stop Payara binding the contract's beans by listener interface
            domain.sh(REMOVE.replace("APPLICATION", APPLICATION).replace("ADAPTER", ADAPTER), work);
            if (node != null) {
                node.close();
            }
        }
    }

    /** Removes what the test added, whichever command it got to. */
    private static final String REMOVE = """
            asadmin undeploy APPLICATION || true
            asadmin delete-connector-resource ADAPTER/ConnectionFactory || true
            asadmin delete-connector-connection-pool ADAPTER-pool || true
            asadmin undeploy ADAPTER || true
            asadmin delete-resource-adapter-config ADAPTER || true
            """;
}
