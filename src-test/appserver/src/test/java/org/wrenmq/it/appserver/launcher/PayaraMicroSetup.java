package org.wrenmq.it.appserver.launcher;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.platform.launcher.LauncherSession;
import org.junit.platform.launcher.LauncherSessionListener;
import org.wrenmq.it.appserver.tools.FreePort;

/**
 * Prepares a Payara Micro run ({@code arquillian.launch=payara}) before Arquillian reads {@code arquillian.xml}:
 * free ports for the embedded broker and Hazelcast, and the post-boot command file that deploys and configures
 * the adapter (Payara Micro deploys one archive through Arquillian, so the RAR comes this way).
 */
public final class PayaraMicroSetup implements LauncherSessionListener {

    @Override
    public void launcherSessionOpened(LauncherSession session) {
        if (!"payara".equals(System.getProperty("arquillian.launch"))
                || System.getProperty("wrenmq.payara.postboot") != null) {
            return;
        }
        int mqttPort = FreePort.find();
        int hazelcastPort = FreePort.find();
        Path rar = Path.of(System.getProperty("wrenmq.rar")).toAbsolutePath();
        Path postBoot = rar.resolveSibling("payara-postboot.asadmin");
        String commands = String.join("\n",
                "create-resource-adapter-config --property port=" + mqttPort
                        + ":bindAddress=127.0.0.1:persistence=false:allowAnonymous=true wrenmq",
                "deploy --type rar --name wrenmq " + rar,
                "create-connector-connection-pool --raname wrenmq"
                        + " --connectiondefinition org.wrenmq.api.jca.MqttConnectionFactory"
                        + " --transactionsupport LocalTransaction wrenmq-pool",
                "create-connector-resource --poolname wrenmq-pool wrenmq/ConnectionFactory",
                "");
        try {
            Files.writeString(postBoot, commands);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        System.setProperty("wrenmq.payara.postboot", postBoot.toString());
        System.setProperty("wrenmq.payara.mqttPort", Integer.toString(mqttPort));
        System.setProperty("wrenmq.payara.hazelcastPort", Integer.toString(hazelcastPort));
    }
}
