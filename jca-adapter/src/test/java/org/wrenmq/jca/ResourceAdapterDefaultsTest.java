package org.wrenmq.jca;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import javax.xml.parsers.DocumentBuilderFactory;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.w3c.dom.Element;
import org.w3c.dom.Node;
import org.w3c.dom.NodeList;
import org.wrenmq.broker.BrokerConfig;
import org.wrenmq.broker.ListenerConfig;

/**
 * The resource adapter's defaults are the broker's (BrokerConfig's constants), but for the two that keep an
 * embedded broker private: ra.xml, docs/configuration.md and the adapter's behaviour must agree.
 */
@DisplayName("resource adapter defaults: ra.xml = docs/configuration.md = BrokerConfig")
class ResourceAdapterDefaultsTest {
    private static final Path MODULE = Path.of(System.getProperty("user.dir"));
    /** Adapter properties that are not broker keys. */
    private static final Set<String> ADAPTER_ONLY = Set.of("configFile", "serverUri", "userName", "password",
            "clientIdPrefix");
    private static final Pattern DEFAULT = Pattern.compile("Default: (\\S+)\\.$");

    @Test
    @DisplayName("ra.xml states BrokerConfig's default for each embedded-broker property, loopback for bindAddress")
    void raXmlDefaultsAreBrokerDefaults() throws Exception {
        Map<String, String> expected = Map.of(
                "port", String.valueOf(BrokerConfig.DEFAULT_PORT),
                "bindAddress", WrenResourceAdapter.DEFAULT_BIND_ADDRESS,
                "persistence", String.valueOf(BrokerConfig.DEFAULT_PERSISTENCE),
                "maxInflightMessages", String.valueOf(BrokerConfig.DEFAULT_MAX_INFLIGHT_MESSAGES),
                "maxQueuedMessages", String.valueOf(BrokerConfig.DEFAULT_MAX_QUEUED_MESSAGES),
                "messageSizeLimit", String.valueOf(BrokerConfig.DEFAULT_MESSAGE_SIZE_LIMIT),
                "maxConnections", String.valueOf(BrokerConfig.DEFAULT_MAX_CONNECTIONS),
                "clusterBackupCount", String.valueOf(org.wrenmq.broker.ClusterConfig.DEFAULT_BACKUP_COUNT),
                "clusterMaxInflightMessages",
                String.valueOf(org.wrenmq.broker.ClusterConfig.DEFAULT_MAX_INFLIGHT_MESSAGES),
                "jmxRegistration", String.valueOf(BrokerConfig.DEFAULT_JMX_REGISTRATION));

        Map<String, String> stated = new LinkedHashMap<>();
        raXmlProperties().forEach((name, description) -> {
            Matcher m = DEFAULT.matcher(description);
            if (m.find()) {
                stated.put(name, m.group(1));
            }
        });

        assertThat(stated).containsAllEntriesOf(expected);
        assertThat(WrenResourceAdapter.DEFAULT_BIND_ADDRESS).isEqualTo(ListenerConfig.LOCAL_DEFAULT.bindAddress());
    }

    @Test
    @DisplayName("docs/configuration.md names exactly ra.xml's embedded-broker properties, each a bean property")
    void documentedPropertiesAreTheRarProperties() throws Exception {
        String page = Files.readString(MODULE.resolve("../docs/configuration.md"));
        // the key table's last column: | `key` | ... | `rarProperty` (default ...) |
        Matcher row = Pattern.compile("^\\| `[a-z0-9_.]+` \\|.*\\| `([A-Za-z]+)`[^|]*\\|$", Pattern.MULTILINE)
                .matcher(page);
        Set<String> documented = new java.util.HashSet<>();
        while (row.find()) {
            documented.add(row.group(1));
        }
        Set<String> rar = raXmlProperties().keySet();

        assertThat(documented).containsExactlyInAnyOrderElementsOf(rar.stream()
                .filter(name -> !ADAPTER_ONLY.contains(name)).collect(Collectors.toSet()));
        for (String name : rar) {
            String setter = "set" + Character.toUpperCase(name.charAt(0)) + name.substring(1);
            assertThat(WrenResourceAdapter.class.getMethods()).as("setter for %s", name)
                    .anyMatch(method -> method.getName().equals(setter));
        }
    }

    @Test
    @DisplayName("with no properties: the broker's defaults, on 127.0.0.1:1883 with anonymous clients")
    void noPropertiesGiveBrokerDefaultsOnLoopback() {
        BrokerConfig config = new WrenResourceAdapter().embeddedBrokerConfig();

        assertThat(config.listeners()).containsExactly(ListenerConfig.LOCAL_DEFAULT);
        assertThat(config.allowAnonymous()).isTrue();
        assertThat(config.persistence()).isEqualTo(BrokerConfig.DEFAULT_PERSISTENCE);
        assertThat(config.maxInflightMessages()).isEqualTo(BrokerConfig.DEFAULT_MAX_INFLIGHT_MESSAGES);
    }

    @Test
    @DisplayName("port alone: still loopback only, anonymous clients still accepted there")
    void portAloneStaysOnLoopback() {
        WrenResourceAdapter adapter = new WrenResourceAdapter();
        adapter.setPort(1884);

        BrokerConfig config = adapter.embeddedBrokerConfig();

        assertThat(config.listeners()).containsExactly(new ListenerConfig(1884, "127.0.0.1"));
        assertThat(config.allowAnonymous()).isTrue();
    }

    @Test
    @DisplayName("bindAddress or passwordFile set: anonymous clients refused unless allowAnonymous=true")
    void openingUpTurnsAnonymousOff() {
        WrenResourceAdapter everyInterface = new WrenResourceAdapter();
        everyInterface.setBindAddress("0.0.0.0");
        WrenResourceAdapter withPasswords = new WrenResourceAdapter();
        withPasswords.setPasswordFile("/etc/wrenmq/passwd");
        WrenResourceAdapter openOnPurpose = new WrenResourceAdapter();
        openOnPurpose.setBindAddress("0.0.0.0");
        openOnPurpose.setAllowAnonymous(true);

        assertThat(everyInterface.embeddedBrokerConfig().listeners())
                .containsExactly(new ListenerConfig(BrokerConfig.DEFAULT_PORT, "0.0.0.0"));
        assertThat(everyInterface.embeddedBrokerConfig().allowAnonymous()).isFalse();
        assertThat(withPasswords.embeddedBrokerConfig().allowAnonymous()).isFalse();
        assertThat(openOnPurpose.embeddedBrokerConfig().allowAnonymous()).isTrue();
    }

    /** The resource adapter's own config-property elements: name -> description. */
    private static Map<String, String> raXmlProperties() throws Exception {
        Element adapter = (Element) DocumentBuilderFactory.newInstance().newDocumentBuilder()
                .parse(MODULE.resolve("src/main/rar/META-INF/ra.xml").toFile())
                .getElementsByTagName("resourceadapter").item(0);
        Map<String, String> properties = new LinkedHashMap<>();
        NodeList children = adapter.getChildNodes();
        for (int i = 0; i < children.getLength(); i++) {
            Node child = children.item(i);
            if (child instanceof Element property && property.getTagName().equals("config-property")) {
                properties.put(text(property, "config-property-name"), text(property, "description"));
            }
        }
        return properties;
    }

    private static String text(Element parent, String tag) {
        return parent.getElementsByTagName(tag).item(0).getTextContent().strip();
    }
}
